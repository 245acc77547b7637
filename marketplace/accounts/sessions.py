"""Revocable sign-in sessions: the per-user session token, remember-me tokens and the session cookie.

A signed-in session stores `User.get_id()` ("<id>:<session token>"); `load_user` accepts it only while
the token is still the user's. `end_sessions` replaces the token and deletes the user's remember-me
tokens, so sign-out, a password change or reset and deactivation end every session at once.
Remember-me cookies hold a random selector and secret; the database keeps the secret's SHA-256 only.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request, session
from flask_login import login_user
from sqlalchemy import delete, select

from marketplace.accounts.models import RememberToken, User, new_session_token
from marketplace.extensions import db

KEPT_SESSION_KEYS = ("lang",)


def naive_utcnow() -> datetime:
    """Return the current UTC time without tzinfo, as the database stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def load_user(user_id: str) -> User | None:
    """Return the active user whose session id ("<id>:<token>") is still current, else None."""
    ident, _, token = str(user_id).partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session and remember-me token of a user (the caller commits)."""
    user.session_token = new_session_token()
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))


def hash_secret(secret: str) -> str:
    """Return the stored form of a remember-me secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_remember_token(user: User, days: int) -> str:
    """Create a remember-me token valid for some days and return the cookie value (the caller commits)."""
    now = naive_utcnow()
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id,
                                                   RememberToken.expires_at <= now))
    selector, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    db.session.add(RememberToken(user_id=user.id, selector=selector, secret_hash=hash_secret(secret),
                                 created_at=now, expires_at=now + timedelta(days=days)))
    return f"{selector}.{secret}"


def user_for_remember_cookie(value: str) -> User | None:
    """Return the active user a remember-me cookie value stands for, if the token exists and is unexpired."""
    selector, _, secret = (value or "").partition(".")
    if not selector or not secret:
        return None
    token = db.session.scalar(select(RememberToken).where(RememberToken.selector == selector))
    if token is None or token.expires_at <= naive_utcnow():
        return None
    if not hmac.compare_digest(token.secret_hash, hash_secret(secret)) or not token.user.is_active:
        return None
    return token.user


def revoke_remember_cookie(value: str) -> None:
    """Delete the remember-me token a cookie value names (the caller commits)."""
    selector = (value or "").partition(".")[0]
    if selector:
        db.session.execute(delete(RememberToken).where(RememberToken.selector == selector))


def fresh_session() -> None:
    """Start a new session (new CSRF token) keeping only the language choice."""
    kept = {key: session[key] for key in KEPT_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)


def sign_in(user: User, remember: bool = False) -> None:
    """Sign a user in on a fresh session; with `remember`, also issue a remember-me cookie."""
    fresh_session()
    login_user(user, remember=False)
    if remember:
        g.remember_cookie = issue_remember_token(user, current_app.config["REMEMBER_DAYS"])


def forget_this_browser() -> None:
    """Revoke this browser's remember-me token, if it sent one, and have the cookie deleted."""
    name = current_app.config["REMEMBER_TOKEN_COOKIE"]
    if name in request.cookies:
        revoke_remember_cookie(request.cookies[name])
        g.remember_cookie = ""


def load_user_from_request(req) -> User | None:
    """flask-login's request loader: sign in from a valid remember-me cookie on a fresh session."""
    name = current_app.config["REMEMBER_TOKEN_COOKIE"]
    value = req.cookies.get(name)
    if not value:
        return None
    user = user_for_remember_cookie(value)
    if user is None:
        g.remember_cookie = ""
        return None
    fresh_session()
    login_user(user, remember=False, fresh=False)
    return user


def write_remember_cookie(response):
    """After a request: set or delete the remember-me cookie with the configured cookie flags."""
    value = g.pop("remember_cookie", None)
    if value is None:
        return response
    config = current_app.config
    name = config["REMEMBER_TOKEN_COOKIE"]
    flags = dict(path="/", secure=config["REMEMBER_COOKIE_SECURE"], httponly=config["REMEMBER_COOKIE_HTTPONLY"],
                 samesite=config["REMEMBER_COOKIE_SAMESITE"])
    if value:
        response.set_cookie(name, value, max_age=config["REMEMBER_DAYS"] * 24 * 3600, **flags)
    else:
        response.delete_cookie(name, **flags)
    return response
