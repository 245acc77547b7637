"""E-mail delivery of notifications through Flask-Mail, by a worker, after the commit that queued them.

`queue_email` writes a `mail` outbox event (recipient, subject, body and a Message-ID fixed at that moment)
into the caller's transaction, so a rolled-back change sends nothing; a worker sends it with `send_queued`
(see `marketplace/jobs/outbox.py` for the claim → send → mark cycle and its one unavoidable window).

`MAIL_BACKEND` chooses where mail goes: "smtp" (production; server settings from the environment) or
"file" (development and tests): each message is written as an .eml file into the instance folder's
`mail/` directory and nothing leaves the machine.
"""
from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app
from flask_mail import Message
from sqlalchemy.orm import Session, scoped_session

from marketplace.extensions import mail
from marketplace.jobs.outbox import write_event

_sequence = itertools.count(1)


def message_body(subject: str, link: str | None) -> str:
    """Return the plain-text body of a notification e-mail: its sentence and, if any, the link on SITE_URL."""
    base = current_app.config.get("SITE_URL", "").rstrip("/")
    return subject + (f"\n\n{base}{link}" if link else "")


def message_id() -> str:
    """Make a new Message-ID on the sender's domain."""
    sender = str(current_app.config["MAIL_DEFAULT_SENDER"])
    domain = sender.rpartition("@")[2].strip(" >") or None
    return make_msgid(domain=domain)


def queue_email(session: Session | scoped_session, recipient: str, subject: str, link: str | None) -> None:
    """Queue a notification e-mail as an outbox event in the caller's transaction; the caller commits."""
    queue_message(session, recipient, subject, message_body(subject, link))


def queue_message(session: Session | scoped_session, recipient: str, subject: str, body: str) -> None:
    """Queue an e-mail with its own body as an outbox event in the caller's transaction; the caller commits."""
    write_event(session, "mail", {"to": recipient, "subject": subject[:150], "body": body,
                                  "message_id": message_id()})


def build_message(payload: dict) -> Message:
    """Build the e-mail a queued event describes, keeping the Message-ID it was given when queued."""
    message = Message(subject=payload["subject"], recipients=[payload["to"]], body=payload["body"],
                      sender=current_app.config["MAIL_DEFAULT_SENDER"])
    if payload.get("message_id"):
        message.msgId = payload["message_id"]
    return message


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


def send_queued(payload: dict) -> None:
    """Send one queued e-mail; a failure raises, so the outbox records it and tries again later."""
    deliver(build_message(payload))


def install(app: Flask) -> None:
    """Bind Flask-Mail to the app (queued e-mail is sent by the job queue's workers)."""
    mail.init_app(app)
