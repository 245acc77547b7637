"""Account e-mails: the password-reset link, sent through the site's mail backend."""
from __future__ import annotations

import logging

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_mail import Message

from marketplace.notifications.mail import deliver

log = logging.getLogger("marketplace.accounts")


def absolute_url(endpoint: str, **values) -> str:
    """Return a link for an e-mail: on SITE_URL when configured, else on the request's host."""
    base = (current_app.config.get("SITE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def send_reset_link(user, token: str) -> bool:
    """E-mail a password-reset link in the current language; a delivery failure is logged, not raised."""
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
    message = Message(subject=subject, recipients=[user.email], body=body,
                      sender=current_app.config["MAIL_DEFAULT_SENDER"])
    try:
        deliver(message)
    except Exception:  # noqa: BLE001 - the answer must not tell whether the address has an account
        log.exception("could not send a password-reset e-mail to %s", user.email)
        return False
    return True
