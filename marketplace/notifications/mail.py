"""E-mail delivery of notifications through Flask-Mail, after the database commit that created them.

`MAIL_BACKEND` chooses where mail goes: "smtp" (production; server settings from the environment) or
"file" (development and tests): each message is written as an .eml file into the instance folder's
`mail/` directory and nothing leaves the machine.
"""
from __future__ import annotations

import itertools
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from flask_mail import Message
from sqlalchemy.orm import Session

from marketplace.extensions import mail
from marketplace.notifications.services import OUTBOX_KEY

log = logging.getLogger("marketplace.notifications")
_sequence = itertools.count(1)


def build_message(recipient: str, subject: str, link: str | None) -> Message:
    """Build the plain-text e-mail for one notification."""
    base = current_app.config.get("SITE_URL", "").rstrip("/")
    body = subject + (f"\n\n{base}{link}" if link else "")
    return Message(subject=subject[:150], recipients=[recipient], body=body,
                   sender=current_app.config["MAIL_DEFAULT_SENDER"])


def mail_folder() -> Path:
    """Return the folder the file backend writes .eml files into."""
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def deliver(message: Message) -> None:
    """Send one message by the configured backend."""
    if current_app.config["MAIL_BACKEND"] == "file":
        name = f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{os.getpid()}-{next(_sequence):06d}.eml"
        (mail_folder() / name).write_bytes(message.as_bytes())
        return
    mail.send(message)


def send_outbox(items) -> int:
    """Deliver queued (recipient, subject, link) e-mails; failures are logged, never raised."""
    sent = 0
    for recipient, subject, link in items:
        try:
            deliver(build_message(recipient, subject, link))
            sent += 1
        except Exception:  # noqa: BLE001 - a mail failure must not undo a committed action
            log.exception("could not send a notification e-mail to %s", recipient)
    return sent


def send_committed(session: Session) -> None:
    """Send the e-mails queued by the transaction that just committed."""
    items = session.info.pop(OUTBOX_KEY, None)
    if items and has_app_context():
        send_outbox(items)


def drop_rolled_back(session: Session) -> None:
    """Forget the e-mails of a transaction that was rolled back."""
    session.info.pop(OUTBOX_KEY, None)


def install(app: Flask) -> None:
    """Bind Flask-Mail to the app (delivery after commits is installed by `marketplace.commit_effects`)."""
    mail.init_app(app)
