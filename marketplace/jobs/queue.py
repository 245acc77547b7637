"""The Huey instance of an app and the consumer that runs its tasks.

Storage comes from JOBS_URL: unset, Huey's SQLite storage in the instance folder (`jobs.sqlite`, embedded,
for `make run`); a `redis://` URL, Redis (production, shared by every worker process). With JOBS_IMMEDIATE
a task runs in the process that enqueues it (the tests, unless a test starts a real consumer).

The consumer's scheduler also sweeps the outbox every JOBS_SWEEP_SECONDS (Huey's own periodic tasks have
a resolution of one minute), so an event whose wake-up was lost waits seconds, not minutes.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer, Scheduler

log = logging.getLogger("marketplace.jobs")
QUEUE_NAME = "marketplace"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def storage_description(app: Flask) -> str:
    """Say where the app's queue is kept (for `flask jobs status` and the config check)."""
    url = app.config.get("JOBS_URL")
    if app.config.get("JOBS_IMMEDIATE"):
        return "immediate (tasks run in the process that enqueues them)"
    if url:
        return f"Redis {url.split('@')[-1]}"
    return f"SQLite {sqlite_path(app)}"


def sqlite_path(app: Flask) -> Path:
    """Return the embedded queue's SQLite file in the instance folder."""
    return Path(app.instance_path) / "jobs.sqlite"


def make_huey(app: Flask) -> Huey:
    """Create the app's Huey instance from JOBS_URL and JOBS_IMMEDIATE (task results are not kept)."""
    url = app.config.get("JOBS_URL")
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if url and url.startswith(REDIS_SCHEMES):
        return RedisHuey(QUEUE_NAME, url=url, immediate=immediate, results=False)
    if url:
        raise ValueError(f"MARKETPLACE_JOBS_URL must be a redis:// URL (or unset for the embedded queue): {url}")
    return SqliteHuey(QUEUE_NAME, filename=str(sqlite_path(app)), immediate=immediate, results=False)


class SweepingScheduler(Scheduler):
    """Huey's scheduler, which also calls `sweep` every `every` seconds."""

    def __init__(self, huey: Huey, stop_flag, interval: int, periodic: bool, sweep: Callable[[], None],
                 every: float):
        """Remember the sweep and when it is next due."""
        super().__init__(huey, stop_flag, interval, periodic)
        self.sweep, self.every = sweep, every
        self._next_sweep = time.monotonic()

    def loop(self, now=None):
        """Sweep when due, then do the scheduler's own round (delayed and periodic tasks)."""
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + self.every
            try:
                self.sweep()
            except Exception:  # noqa: BLE001 - a failed sweep is retried at the next one
                log.exception("outbox sweep failed")
        super().loop(now)


class SweepingConsumer(Consumer):
    """Huey's consumer with the outbox sweep in its scheduler."""

    def __init__(self, huey: Huey, sweep: Callable[[], None], sweep_every: float, **options):
        """Create the consumer (its scheduler is built inside Huey's constructor, so the sweep is set first)."""
        self._sweep, self._sweep_every = sweep, sweep_every
        super().__init__(huey, **options)

    def _create_scheduler(self):
        """Build the sweeping scheduler."""
        return SweepingScheduler(huey=self.huey, stop_flag=self.stop_flag, interval=self.scheduler_interval,
                                 periodic=self.periodic, sweep=self._sweep, every=self._sweep_every)
