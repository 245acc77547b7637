"""Scheduled work, run by the job workers without cron: the one list of what runs when.

Each entry becomes a Huey periodic task (checked once a minute by every consumer's scheduler). Several
consumers may enqueue the same run; each job makes that harmless by claiming its units of work
(`marketplace/jobs/claims.py`), e.g. one recipient's digest per day. The outbox sweep is not here: it runs
every few seconds inside the consumer's scheduler (`marketplace/jobs/queue.py`).

To add scheduled work, append a `ScheduledJob` to `SCHEDULE`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask, current_app

When = Callable[[Flask], Callable[[datetime], bool]]


@dataclass(frozen=True)
class ScheduledJob:
    """A job the workers run on a schedule: its name, when (built from the app's config) and what it runs."""

    name: str
    when: When
    run: Callable[[], object]


def local_time(app: Flask, timestamp: datetime) -> datetime:
    """Convert Huey's naive UTC timestamp to the site's time zone (BABEL_DEFAULT_TIMEZONE)."""
    return timestamp.replace(tzinfo=UTC).astimezone(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"]))


def local_today() -> date:
    """Return today's date in the site's time zone."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def daily_from(key: str, every_minutes: int = 30) -> When:
    """Due from the local time in config `key` ("HH:MM") to midnight, every `every_minutes` (so a missed run
    catches up)."""
    def when(app: Flask) -> Callable[[datetime], bool]:
        start = time.fromisoformat(app.config[key])

        def due(timestamp: datetime) -> bool:
            local = local_time(app, timestamp)
            minutes = local.hour * 60 + local.minute
            first = start.hour * 60 + start.minute
            return minutes >= first and (minutes - first) % every_minutes == 0
        return due
    return when


def every(minutes: int) -> When:
    """Due every `minutes` minutes of the hour."""
    def when(app: Flask) -> Callable[[datetime], bool]:
        return lambda timestamp: timestamp.minute % minutes == 0
    return when


def run_digests() -> dict[str, int]:
    """Send the day's digests: each vendor's and each saved search's at most once per local day."""
    from marketplace.notifications.digests import run_digests as run

    current_app.extensions["matching"].ensure_index()
    return run(local_today())


def refresh_analytics() -> dict:
    """Refresh the analytics pages' figures: a bounded batch of needs' best matches, then every snapshot."""
    from marketplace.analytics.aggregates import refresh_aggregates

    engine = current_app.extensions["matching"]
    if not engine.ready:
        engine.ensure_index()
    return refresh_aggregates()


def prune() -> dict[str, int]:
    """Delete old claims, outbox events done long ago and API idempotency keys past their day."""
    from marketplace.api.idempotency import prune_idempotency_keys
    from marketplace.extensions import db
    from marketplace.jobs.claims import prune_claims
    from marketplace.jobs.outbox import prune_done

    days = int(current_app.config["JOB_CLAIM_KEEP_DAYS"])
    pruned = {"claims": prune_claims(days), "outbox_events": prune_done(days)}
    pruned["idempotency_keys"] = prune_idempotency_keys()
    db.session.commit()
    return pruned


SCHEDULE: list[ScheduledJob] = [
    ScheduledJob("digests", daily_from("DIGEST_TIME"), run_digests),
    ScheduledJob("prune", daily_from("DIGEST_TIME", every_minutes=24 * 60), prune),
    ScheduledJob("analytics", every(10), refresh_analytics),
]
