"""Who is calling the API: a Bearer token (its user, with the token's scopes) or the browser session.

A token request is exempt from CSRF (no cookie is involved); a session request that changes something must send
the CSRF token, as every form does. Token use is rate-limited per token and written to the audit log: every
write, and the first read of each hour.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from marketplace.accounts.sessions import naive_utcnow as utcnow
from marketplace.api.errors import ApiError
from marketplace.api.tokens import hash_secret, token_for_secret
from marketplace.audit.services import record_audit
from marketplace.extensions import csrf, db, limiter, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_AUDIT_EVERY = timedelta(hours=1)


def bearer_secret() -> str | None:
    """Return the secret of an `Authorization: Bearer …` header, "" for a malformed one, None when absent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def authenticate() -> None:
    """Before an API view: sign the token's user in for this request only, or require CSRF from a session."""
    secret = bearer_secret()
    if secret is None:
        if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        return
    token = token_for_secret(secret) if secret else None
    if token is None:
        raise ApiError(401, "invalid_token", _("This API token is not valid, or it was revoked."))
    g.api_token = token
    login_manager._update_request_context_with_user(token.user)


def require_scope(scope: str) -> None:
    """Refuse a token without a scope (for operations whose scope depends on the record, such as transitions)."""
    token = g.get("api_token")
    if token is not None and scope not in token.scope_list:
        raise ApiError(403, "insufficient_scope", _("This token lacks the %(scope)s scope this call needs.",
                                                    scope=scope))


def rate_key() -> str:
    """Count API calls per token (by its secret's hash: the limit is checked before the token is looked up),
    and per address for everyone else."""
    secret = bearer_secret()
    return f"token:{hash_secret(secret)[:24]}" if secret else f"addr:{get_remote_address()}"


def note_token_use(response):
    """After a token request: audit it (writes always, reads once an hour) and stamp the token's last use."""
    token = g.get("api_token")
    if token is None:
        return response
    now = utcnow()
    write = request.method not in SAFE_METHODS
    stale = token.last_used_at is None or now - token.last_used_at > READ_AUDIT_EVERY
    try:
        if write or stale:
            record_audit("api.write" if write else "api.read", token.user, token,
                         {"method": request.method, "path": request.path[:200], "status": response.status_code})
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1) or write:
            token.last_used_at = now
        db.session.commit()
    except Exception:  # bookkeeping never turns an answered call into a failure
        db.session.rollback()
        current_app.logger.exception("could not record the use of API token %s", token.id)
    return response


def install(bp) -> None:
    """Authenticate API calls, limit them per token and note each token's use."""
    bp.before_request(authenticate)
    bp.after_request(note_token_use)
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)
