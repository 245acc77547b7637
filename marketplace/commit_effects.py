"""What a transaction writes for later, and the wake-up after it commits: the one list, installed by `create_app`.

Everything a state change means inside the database is written in the same transaction by the process
that made it (`marketplace/process.py` and the `process.py` of each feature): ledger rows, voucher
entries, notification rows, audit rows, and the outbox events (`marketplace/jobs/outbox.py`) for what
reaches outside the database:

- the search index takes in the changed listings, needs and cases: collected after each flush by
  `matching.sync.collect_changes` and written as one `index` event just before the commit by
  `matching.sync.write_index_event`;
- each notification e-mail is a `mail` event, written when it is queued (`notifications.mail.queue_email`).

After the commit, `wake_workers` only enqueues the dispatcher task (no data, no work in the request; with
JOBS_IMMEDIATE, as in the tests, the dispatcher runs right there). A rollback discards the collected
changes and the wake-up, and the events were never committed. Nothing else listens to session events.
"""
from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from marketplace.jobs.outbox import WAKE_KEY
from marketplace.matching.sync import collect_changes, forget_rolled_back, write_index_event


def wake_workers(session: Session) -> None:
    """After a commit that wrote outbox events, enqueue the dispatcher (not when a savepoint is released: SQLAlchemy
    signals that as a commit too, while the events are not committed yet)."""
    if session.in_nested_transaction():
        return
    if session.info.pop(WAKE_KEY, False) and has_app_context():
        jobs = current_app.extensions.get("jobs")
        if jobs is not None:
            jobs.wake()


def forget_wake_up(session: Session) -> None:
    """A rolled-back transaction wrote no events: no wake-up."""
    session.info.pop(WAKE_KEY, None)


LISTENERS = (
    ("after_flush", collect_changes),
    ("before_commit", write_index_event),
    ("after_commit", wake_workers),
    ("after_rollback", forget_rolled_back),
    ("after_rollback", forget_wake_up),
)


def install(app: Flask) -> None:
    """Attach the listeners to every Flask-SQLAlchemy session (once per process)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    for name, listener in LISTENERS:
        if not event.contains(FlaskSession, name, listener):
            event.listen(FlaskSession, name, listener)
