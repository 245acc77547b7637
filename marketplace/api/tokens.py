"""API tokens: the scopes there are, creating one (its secret shown once), revoking it, and finding the token a
request carries.

A scope narrows what a token may do; it never widens it. Whether the token's user may do a thing to a record is
still the permission module's answer (`marketplace.permissions`), the same as on the pages.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.accounts.sessions import naive_utcnow
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db

from .models import ApiToken

SCOPES = {
    "read": _l("Read: lists, records, search, your own orders and statements"),
    "listings": _l("Write listings: provider profile, models with evaluations, offerings, imports"),
    "needs": _l("Write needs: post, edit and close your organisation's needs"),
    "orders": _l("Deals: proposals, orders and their transitions, agreements"),
    "statements": _l("Statements: revenue-sharing statements as JSON and CSV"),
}
"""Every scope a token can carry, with what it allows."""

PREFIX = "mk_"
MAX_ACTIVE_TOKENS = 20


def hash_secret(secret: str) -> str:
    """Return the stored form of a token's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def clean_scopes(scopes) -> list[str]:
    """Return known scopes in their canonical order, or refuse an unknown or empty choice."""
    chosen = {str(s).strip() for s in scopes if str(s).strip()}
    unknown = chosen - SCOPES.keys()
    if unknown:
        raise DomainError(_("Unknown scope: %(scope)s.", scope=", ".join(sorted(unknown))), "scopes")
    if not chosen:
        raise DomainError(_("Choose at least one scope."), "scopes")
    return [s for s in SCOPES if s in chosen]


def create_token(user: User, name: str, scopes) -> tuple[ApiToken, str]:
    """Create a token for a user (the caller commits); return it and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, such as the system that will use it."), "name")
    if len(name) > 80:
        raise DomainError(_("A token name has at most 80 characters."), "name")
    chosen = clean_scopes(scopes)
    active = db.session.scalar(select(db.func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if (active or 0) >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("You have %(n)d active tokens; revoke one you no longer use first.",
                             n=MAX_ACTIVE_TOKENS), "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scopes=" ".join(chosen), prefix=secret[:10],
                     secret_hash=hash_secret(secret))
    db.session.add(token)
    db.session.flush()
    record_audit("api_token.created", user, token, {"name": name, "scopes": token.scopes})
    return token, secret


def user_tokens(user: User) -> list[ApiToken]:
    """Return a user's tokens, active ones first, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(
        ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (the caller commits); it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise DomainError(_("That token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = naive_utcnow()
        record_audit("api_token.revoked", user, token, {"name": token.name})
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """Return the active token a secret belongs to, or None (unknown, revoked, or its user deactivated)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    digest = hash_secret(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_hash == digest))
    if token is None or not hmac.compare_digest(token.secret_hash, digest) or not token.is_active:
        return None
    return token
