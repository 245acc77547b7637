"""What happens when a transaction commits: the one list, installed once by `create_app`.

Everything a state change means inside the database is written in the same transaction by the process
that made it (`marketplace/process.py` and the `process.py` of each feature): ledger rows, voucher
entries, notification rows, audit rows. Only two things wait for the commit, because they reach outside
the database and must never happen for a transaction that is rolled back:

- the search index takes in the changed listings, needs and cases: collected after each flush by
  `matching.sync.collect_changes`, carried out by `matching.sync.apply_committed`;
- the notification e-mails the transaction queued (`notifications.mail.queue_email`) are sent by
  `notifications.mail.send_committed`.

A rollback discards both queues. Nothing else listens to session events.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from marketplace.matching.sync import apply_committed, collect_changes, forget_rolled_back
from marketplace.notifications.mail import drop_rolled_back, send_committed

LISTENERS = (
    ("after_flush", collect_changes),
    ("after_commit", apply_committed),
    ("after_rollback", forget_rolled_back),
    ("after_commit", send_committed),
    ("after_rollback", drop_rolled_back),
)


def install(app: Flask) -> None:
    """Attach the after-commit effects to every Flask-SQLAlchemy session (once per process)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    for name, listener in LISTENERS:
        if not event.contains(FlaskSession, name, listener):
            event.listen(FlaskSession, name, listener)
