"""Does a transaction write its side effects as outbox events with it, and do workers carry each out once?"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from marketplace import create_app
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.jobs.models import OutboxEvent
from marketplace.jobs.outbox import claim, dispatch
from marketplace.notifications.services import notify
from tests.factories import make_offering, make_user


@pytest.fixture
def queued(database_uri, tmp_path):
    """An app whose tasks go to an embedded queue no worker reads (as a web worker sees it), in an app context."""
    from tests.conftest import empty_tables

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "JOBS_IMMEDIATE": False, "JOBS_LEASE_SECONDS": 60.0, "JOBS_RETRY_SECONDS": 30.0})
    with app.app_context():
        yield app
        empty_tables()
        db.session.remove()


def events(topic: str | None = None) -> list[OutboxEvent]:
    """Return the outbox events (of a topic), oldest first, fresh from the database."""
    db.session.expire_all()
    query = select(OutboxEvent).order_by(OutboxEvent.id)
    if topic:
        query = query.where(OutboxEvent.topic == topic)
    return list(db.session.scalars(query))


def sent_mail(app) -> list:
    """Return the e-mails the file backend wrote, parsed."""
    folder = Path(app.instance_path) / "mail"
    return [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


def test_an_edit_commits_one_index_event_with_it_and_a_rollback_none(queued):
    """The documents a transaction touched become one `index` event in that transaction; nothing runs in the request."""
    vendor = make_user("vendor")
    offering = make_offering(vendor.organisation)
    offering_id, before = offering.id, len(events("index"))
    offering.title = "注塑件缩痕检测（改）"
    db.session.flush()
    db.session.rollback()
    assert len(events("index")) == before
    offering = db.session.get(Offering, offering_id)
    offering.title = "注塑件缩痕检测（改）"
    offering.summary = "同一事务里的第二处修改"
    db.session.commit()
    written = events("index")
    assert len(written) == before + 1
    assert written[-1].payload == {"doc_ids": [f"offering:{offering.id}"]} and written[-1].done_at is None


def test_a_notification_e_mail_is_an_outbox_event_sent_by_the_dispatcher(queued):
    """The e-mail copy is queued with recipient, subject, body and a Message-ID; the dispatcher sends exactly that."""
    sme = make_user("enterprise")
    notify([sme.organisation_id], "need_status", {"need": "抛釉砖针孔", "state": "closed"}, "/needs/1", "k-1")
    db.session.commit()
    [event] = events("mail")
    assert event.payload["to"] == sme.email and "抛釉砖针孔" in event.payload["subject"]
    assert event.payload["body"].endswith("/needs/1") and event.payload["message_id"].startswith("<")
    assert sent_mail(queued) == []
    assert dispatch()["mail"] == 1
    [message] = sent_mail(queued)
    assert message["Message-ID"] == event.payload["message_id"] and message["To"] == sme.email
    assert events("mail")[0].done_at is not None
    assert dispatch() == {}
    assert len(sent_mail(queued)) == 1


def test_a_rolled_back_notification_queues_no_e_mail(queued):
    """A rollback leaves no mail event behind."""
    sme = make_user("enterprise")
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-2")
    db.session.rollback()
    assert events("mail") == []


def test_a_failed_send_is_recorded_and_retried_later_then_sent_once(queued, monkeypatch):
    """A mail server error leaves the event pending with its error and a later retry time; the retry sends it."""
    from marketplace.notifications import mail

    sme = make_user("enterprise")
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-3")
    db.session.commit()

    def refuse(message):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(mail, "deliver", refuse)
    assert dispatch() == {}
    [event] = events("mail")
    assert event.attempts == 1 and "mail server down" in event.last_error and event.done_at is None
    assert event.available_at.replace(tzinfo=None) > datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=20)
    assert dispatch() == {}  # not yet due
    monkeypatch.undo()
    db.session.execute(update(OutboxEvent).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert dispatch() == {"mail": 1}
    assert len(sent_mail(queued)) == 1 and events("mail")[0].done_at is not None


def test_a_claimed_event_is_not_claimed_again_until_its_lease_runs_out(queued):
    """Two claims never get the same event; an event whose worker died is claimable once the lease has passed."""
    sme = make_user("enterprise")
    for n in range(2):
        notify([sme.organisation_id], "need_status", {"need": f"n{n}", "state": "closed"}, "/", f"k-4-{n}")
    db.session.commit()
    first, second = claim("mail", 1), claim("mail", 1)
    assert len(first) == len(second) == 1 and first[0][0] != second[0][0]
    assert claim("mail", 5) == []
    db.session.execute(update(OutboxEvent).where(OutboxEvent.id == first[0][0])
                       .values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert [row[0] for row in claim("mail", 5)] == [first[0][0]]


def test_an_event_that_keeps_failing_is_given_up_and_can_be_retried(queued, monkeypatch):
    """After JOBS_MAX_ATTEMPTS the event waits for a person; `flask jobs retry` makes it available again."""
    from marketplace.notifications import mail

    queued.config["JOBS_MAX_ATTEMPTS"] = 2
    sme = make_user("enterprise")
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-5")
    db.session.commit()
    monkeypatch.setattr(mail, "deliver", lambda message: (_ for _ in ()).throw(OSError("no route")))
    for _ in range(3):
        dispatch()
        db.session.execute(update(OutboxEvent).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    assert events("mail")[0].attempts == 2
    status = queued.test_cli_runner().invoke(args=["jobs", "status"]).output
    assert "mail: waiting 0, retrying 0, given_up 1" in status
    monkeypatch.undo()
    assert "1 outbox events" in queued.test_cli_runner().invoke(args=["jobs", "retry"]).output
    assert dispatch() == {"mail": 1} and len(sent_mail(queued)) == 1


def test_immediate_mode_carries_out_events_right_after_the_commit(in_app):
    """Without a worker (tests), the commit's wake-up runs the dispatcher at once: the e-mail is written."""
    sme = make_user("enterprise")
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-6")
    db.session.commit()
    assert len(sent_mail(in_app)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.done_at.is_(None))) == 0
