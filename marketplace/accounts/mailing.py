"""Account e-mails: the password-reset link, queued in the outbox and sent by a job worker."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _

from marketplace.extensions import db
from marketplace.notifications.mail import queue_message


def absolute_url(endpoint: str, **values) -> str:
    """Return a link for an e-mail: on SITE_URL when configured, else on the request's host."""
    base = (current_app.config.get("SITE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def queue_reset_link(user, token: str) -> None:
    """Queue the password-reset e-mail, in the current language, in the caller's transaction (the caller
    commits; a worker sends it). Nothing is sent while the request waits, so neither the answer nor its
    timing tells whether the address has an account, and a mail server that is down delays the e-mail
    (the outbox retries it) instead of losing it."""
    link = absolute_url("accounts.reset_password_page", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    subject = _("Choose a new password for the 模数共振 marketplace")
    body = "\n\n".join([
        _("Hello %(name)s,", name=user.name),
        _("Someone (we hope you) asked to reset the password of the account %(email)s. "
          "Open this link to choose a new password. It works once, within %(minutes)s minutes:",
          email=user.email, minutes=minutes),
        link,
        _("If you did not ask for this, ignore this e-mail: your password stays as it is."),
    ])
    queue_message(db.session, user.email, subject, body)
