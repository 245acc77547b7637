"""Does scheduled work run without cron, at its time, and once per recipient and day however many workers run it?"""
from __future__ import annotations

from datetime import datetime

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.extensions import db
from marketplace.jobs.claims import claim
from marketplace.jobs.models import JobClaim
from marketplace.jobs.schedule import SCHEDULE, daily_from
from marketplace.notifications.digests import run_digests, save_search
from marketplace.notifications.models import Notification
from tests.conftest import NOW
from tests.factories import make_need, make_offering, make_user

TODAY = NOW.date()


def always(score: float):
    """Return a similarity function that scores every need the same."""
    return lambda need, vendor_id: score


def digests_of(user, kind: str) -> int:
    """Count a user's digest notifications of a kind."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind))


@pytest.mark.usefixtures("frozen_clock")
def test_digests_are_sent_once_per_recipient_and_day_however_often_they_run(in_app):
    """Running the day's digests again (another worker, the command beside the workers) sends nothing twice."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    make_offering(vendor.organisation)
    make_need(sme.organisation)
    save_search(sme, "视觉检测", {}, [])
    db.session.commit()
    first = run_digests(TODAY, similarity=always(0.95), run=lambda s: {"offering:1"})
    again = run_digests(TODAY, similarity=always(0.95), run=lambda s: {"offering:1", "offering:2"})
    assert first == {"alerts": 1, "need_digests": 1, "saved_search_digests": 1}
    assert again == {"alerts": 0, "need_digests": 0, "saved_search_digests": 0}
    assert digests_of(vendor, "need_digest") == 1 and digests_of(sme, "saved_search") == 1


@pytest.mark.usefixtures("frozen_clock")
def test_a_recipient_claimed_by_another_worker_is_skipped(in_app):
    """A vendor whose digest another worker already claimed today is neither computed nor sent here."""
    sme, vendor = make_user("enterprise"), make_user("vendor")
    make_offering(vendor.organisation)
    make_need(sme.organisation)
    assert claim(f"need_digest:{vendor.organisation_id}:{TODAY.isoformat()}")
    db.session.commit()
    scored = []
    counts = run_digests(TODAY, similarity=lambda need, vendor_id: scored.append(vendor_id) or 0.95)
    assert counts["need_digests"] == 0 and scored == [] and digests_of(vendor, "need_digest") == 0


def test_a_second_claim_of_the_same_key_fails(in_app):
    """The claim is the database's unique key: only the first worker gets it."""
    assert claim("need_digest:1:2026-03-10")
    db.session.commit()
    assert not claim("need_digest:1:2026-03-10")
    assert db.session.scalar(select(func.count()).select_from(JobClaim)) == 1


def test_the_digest_schedule_follows_the_local_time_and_catches_up(app):
    """Digests are due at DIGEST_TIME local time (Asia/Shanghai) and every half hour after it, never before."""
    app.config["DIGEST_TIME"] = "07:30"
    due = daily_from("DIGEST_TIME")(app)
    utc = lambda h, m: datetime(2026, 3, 10, h, m)  # noqa: E731 - Huey passes naive UTC timestamps
    assert due(utc(23, 30)) and due(utc(0, 0))  # 07:30 and 08:00 in Shanghai
    assert not due(utc(23, 0)) and not due(utc(23, 45)) and not due(utc(22, 30))


def test_every_scheduled_job_is_a_periodic_task_of_the_app(app):
    """The digests (and whatever else SCHEDULE lists) are registered on the app's queue; no cron needed."""
    registered = {cls.__name__ for cls in app.extensions["jobs"].huey._registry._periodic_tasks}
    assert {f"scheduled_{job.name}" for job in SCHEDULE} <= registered and "scheduled_digests" in registered


def test_the_queue_storage_follows_the_jobs_url(database_uri, tmp_path):
    """Unset: SQLite in the instance folder (embedded); redis://: Redis; anything else is refused."""
    base = {"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path), "JOBS_IMMEDIATE": False}
    embedded = create_app(base).extensions["jobs"].huey
    assert isinstance(embedded, SqliteHuey) and embedded.storage.filename == str(tmp_path / "jobs.sqlite")
    assert isinstance(create_app({**base, "JOBS_URL": "redis://127.0.0.1:1/0"}).extensions["jobs"].huey, RedisHuey)
    with pytest.raises(ValueError, match="redis://"):
        create_app({**base, "JOBS_URL": "amqp://broker"})


def test_the_analytics_figures_are_refreshed_by_the_workers_schedule(app):
    """Every ten minutes the workers recompute the analytics snapshots the pages read; nobody runs a command."""
    from marketplace.analytics.aggregates import MAP, read_snapshot
    from marketplace.jobs.schedule import refresh_analytics
    from tests.factories import make_need, make_user

    job = next(job for job in SCHEDULE if job.name == "analytics")
    due = job.when(app)
    assert due(datetime(2026, 11, 30, 8, 20)) and not due(datetime(2026, 11, 30, 8, 25))
    with app.app_context():
        make_need(make_user("enterprise").organisation)
        assert read_snapshot(MAP) is None
        refresh_analytics()
        assert read_snapshot(MAP) is not None
