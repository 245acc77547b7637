"""The outbox: side effects written in the transaction that causes them, carried out by a worker afterwards.

A transition that changes indexed documents or queues an e-mail adds an `OutboxEvent` to its own session
(`write_event`), so the event commits with the change or not at all. After the commit a wake-up enqueues
the dispatcher task, which carries no data; if a wake-up is lost, the consumer's sweep every
JOBS_SWEEP_SECONDS dispatches whatever is pending.

`dispatch` claims events safely with several workers on either database, runs each topic's handler and
marks the events done. A claim is a lease: `available_at` moves JOBS_LEASE_SECONDS ahead and `attempts`
counts up, in a transaction of its own (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: the database's
write lock, taken up front). A worker that dies holding a claim loses nothing: the lease runs out and
another worker claims the event again. A handler that fails records its error and the event becomes
available again after a growing delay, until JOBS_MAX_ATTEMPTS.

E-mail is claimed, sent and marked one message at a time, so a worker killed in a batch resends none
that were marked sent and loses none. One window cannot be closed: a worker killed after the SMTP server
accepted a message and before the commit that marks it sent will send that message again once its lease
runs out (it keeps its Message-ID, so a receiving server or client may recognise the duplicate).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, scoped_session

from marketplace.extensions import db
from marketplace.jobs.models import OutboxEvent

log = logging.getLogger("marketplace.jobs")
WAKE_KEY = "outbox_wake"
RETRY_CAP_SECONDS = 3600.0


@dataclass(frozen=True)
class Topic:
    """What a worker does with events of one topic: the handler takes their payloads; `batch` claims at once."""

    name: str
    handle: Callable[[list[dict]], None]
    batch: Callable[[], int]


def utcnow() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def write_event(session: Session | scoped_session, topic: str, payload: dict) -> OutboxEvent:
    """Add an event to the caller's transaction and ask for a wake-up after its commit; the caller commits."""
    now = utcnow()
    event = OutboxEvent(topic=topic, payload=payload, created_at=now, available_at=now, attempts=0)
    session.add(event)
    session.info[WAKE_KEY] = True
    return event


def topics() -> dict[str, Topic]:
    """Return the topics the dispatcher handles, in the order it serves them (the search index first)."""
    from marketplace.jobs.handlers import apply_index_events, deliver_webhooks, send_mail_events, start_imports

    return {
        "index": Topic("index", apply_index_events, lambda: int(current_app.config["JOBS_INDEX_BATCH"])),
        "mail": Topic("mail", send_mail_events, lambda: 1),
        "webhook": Topic("webhook", deliver_webhooks, lambda: 1),
        "import": Topic("import", start_imports, lambda: 20),
    }


def own_session() -> Session:
    """Open a session of the dispatcher's own, apart from any request's (it may run right after one commits)."""
    return Session(bind=db.engine, expire_on_commit=False)


def lock_for_claim(session: Session) -> None:
    """On SQLite take the database's write lock before reading what to claim (PostgreSQL locks the rows)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def claim(topic: str, limit: int) -> list[tuple[int, dict]]:
    """Claim up to `limit` available events of a topic for this worker (a lease); return their ids and payloads."""
    config = current_app.config
    lease = timedelta(seconds=float(config["JOBS_LEASE_SECONDS"]))
    with own_session() as session:
        lock_for_claim(session)
        now = utcnow()
        query = (select(OutboxEvent.id, OutboxEvent.payload)
                 .where(OutboxEvent.topic == topic, OutboxEvent.done_at.is_(None), OutboxEvent.available_at <= now,
                        OutboxEvent.attempts < int(config["JOBS_MAX_ATTEMPTS"]))
                 .order_by(OutboxEvent.id).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = [(row.id, row.payload) for row in session.execute(query)]
        if rows:
            session.execute(update(OutboxEvent).where(OutboxEvent.id.in_([r[0] for r in rows]))
                            .values(available_at=now + lease, attempts=OutboxEvent.attempts + 1))
        session.commit()
    return rows


def finish(ids: list[int]) -> None:
    """Mark claimed events done."""
    with own_session() as session:
        session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(ids), OutboxEvent.done_at.is_(None))
                        .values(done_at=utcnow(), last_error=None))
        session.commit()


def fail(ids: list[int], error: BaseException) -> None:
    """Record a handler's failure on claimed events and make them available again after a growing delay."""
    base = float(current_app.config["JOBS_RETRY_SECONDS"])
    message = f"{type(error).__name__}: {error}"[:2000]
    with own_session() as session:
        for event in session.scalars(select(OutboxEvent).where(OutboxEvent.id.in_(ids))):
            delay = min(base * 2 ** max(event.attempts - 1, 0), RETRY_CAP_SECONDS)
            event.available_at = utcnow() + timedelta(seconds=delay)
            event.last_error = message
        session.commit()


def run_claimed(topic: Topic, rows: list[tuple[int, dict]]) -> bool:
    """Run a topic's handler on claimed events, then mark them done or failed; tell whether it succeeded."""
    ids = [row[0] for row in rows]
    try:
        topic.handle([row[1] for row in rows])
    except Exception as exc:  # noqa: BLE001 - the failure is recorded on the events and retried
        log.exception("outbox %s events %s failed", topic.name, ids)
        fail(ids, exc)
        return False
    finish(ids)
    return True


def dispatch(budget_seconds: float = 60.0) -> dict[str, int]:
    """Claim and run available events until none is left or the time budget is spent; count them per topic."""
    done: dict[str, int] = {}
    deadline = time.monotonic() + budget_seconds
    active = list(topics().values())
    while active and time.monotonic() < deadline:
        for topic in list(active):
            rows = claim(topic.name, topic.batch())
            if not rows:
                active.remove(topic)
                continue
            if run_claimed(topic, rows):
                done[topic.name] = done.get(topic.name, 0) + len(rows)
    return done


def backlog() -> dict[str, dict[str, int]]:
    """Per topic: events waiting, waiting after a failure, given up (attempts exhausted), done in the last hour."""
    limit = int(current_app.config["JOBS_MAX_ATTEMPTS"])
    hour_ago = utcnow() - timedelta(hours=1)
    pending = OutboxEvent.done_at.is_(None)
    result: dict[str, dict[str, int]] = {}
    with own_session() as session:
        for label, where in (("waiting", [pending, OutboxEvent.attempts < limit, OutboxEvent.last_error.is_(None)]),
                             ("retrying", [pending, OutboxEvent.attempts < limit, OutboxEvent.last_error.isnot(None)]),
                             ("given_up", [pending, OutboxEvent.attempts >= limit]),
                             ("done_last_hour", [OutboxEvent.done_at >= hour_ago])):
            for topic, count in session.execute(select(OutboxEvent.topic, func.count()).where(*where)
                                                .group_by(OutboxEvent.topic)):
                result.setdefault(topic, {})[label] = count
    return result


def retry_given_up() -> int:
    """Make events whose attempts ran out available again (after the cause was fixed); return how many."""
    limit = int(current_app.config["JOBS_MAX_ATTEMPTS"])
    with own_session() as session:
        result = session.execute(update(OutboxEvent).where(OutboxEvent.done_at.is_(None),
                                                           OutboxEvent.attempts >= limit)
                                 .values(attempts=0, available_at=utcnow()))
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def prune_done(days: int) -> int:
    """Delete events done more than `days` ago; return how many."""
    with own_session() as session:
        result = session.execute(delete(OutboxEvent).where(OutboxEvent.done_at < utcnow() - timedelta(days=days)))
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
