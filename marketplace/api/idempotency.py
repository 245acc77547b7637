"""`Idempotency-Key` for API writes (Stripe's convention): a write sent again with the same key gets the answer
of the first one, and changes nothing.

The key is claimed (a row, unique per user and key) and committed before the write runs, so two concurrent sends
cannot both run it, on SQLite or PostgreSQL. A successful answer is stored with the key; a refused or failed
write frees the key, so the caller may correct the call and send it again with the same key. A key whose write
never finished (the process died) is taken over after `ABANDONED_AFTER`. Keys are kept `KEEP_FOR`.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from functools import wraps

from flask import Response, make_response, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.sessions import naive_utcnow as utcnow
from marketplace.api.errors import ApiError
from marketplace.api.models import IdempotencyKey
from marketplace.extensions import db

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)
KEY_PATTERN = r"^[!-~]([ -~]{0,253}[!-~])?$"
"""A key: 1–255 printable ASCII characters, not starting or ending with a space (a UUID is a good key)."""
HEADER_SCHEMA = {"description": "Any unique string (a UUID) up to 255 characters: sending the same call again "
                                "with the same key replays the first answer instead of doing it twice.",
                 "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": KEY_PATTERN}}


def fingerprint() -> str:
    """Return what identifies a call: method, path, query and body."""
    digest = hashlib.sha256()
    for part in (request.method, request.full_path):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def replay(row: IdempotencyKey, call: str) -> Response:
    """Answer a repeated call from its stored answer, or refuse a key reused for another call or still running."""
    if row.request_hash != call:
        raise ApiError(422, "idempotency_key_reused",
                       _("This Idempotency-Key was used for a different call; use a new key."))
    if row.status_code is None:
        raise ApiError(409, "idempotency_in_progress",
                       _("A call with this Idempotency-Key is still running; try again in a moment."))
    response = Response(row.response_body or "", status=row.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def claim(user_id: int, key: str, call: str) -> IdempotencyKey | Response:
    """Claim a key for this call (committed), or return the answer of the call that claimed it first."""
    now = utcnow()
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                         IdempotencyKey.key == key))
    if row is not None and row.status_code is None and now - row.created_at > ABANDONED_AFTER \
            and row.request_hash == call:
        row.created_at = now  # its first call died half-way (nothing of it was committed): take it over
        db.session.commit()
        return row
    if row is not None:
        return replay(row, call)
    row = IdempotencyKey(user_id=user_id, key=key, request_hash=call, created_at=now)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        first = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                               IdempotencyKey.key == key))
        if first is None:
            raise ApiError(409, "idempotency_in_progress",
                           _("A call with this Idempotency-Key is still running; try again in a moment.")) from None
        return replay(first, call)
    return row


def release(row_id: int) -> None:
    """Free a key whose call was refused or failed."""
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))
    db.session.commit()


def idempotent(view):
    """Make a write view honour the Idempotency-Key header (calls without one run as usual)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not current_user.is_authenticated:
            return view(*args, **kwargs)
        if not re.fullmatch(KEY_PATTERN, key):
            raise ApiError(400, "invalid_idempotency_key",
                           _("An Idempotency-Key is 1 to 255 printable characters."))
        claimed = claim(current_user.id, key, fingerprint())
        if isinstance(claimed, Response):
            return claimed
        row_id = claimed.id
        try:
            response = make_response(view(*args, **kwargs))
        except BaseException:
            release(row_id)
            raise
        if response.status_code >= 300:
            release(row_id)
            return response
        db.session.rollback()
        row = db.session.get(IdempotencyKey, row_id)
        if row is not None:
            row.status_code, row.response_body = response.status_code, response.get_data(as_text=True)
            db.session.commit()
        return response

    guarded.idempotent = True  # type: ignore[attr-defined]
    return guarded


def prune_idempotency_keys(now=None) -> int:
    """Delete keys older than KEEP_FOR (the caller commits); return how many."""
    cutoff = (now or utcnow()) - KEEP_FOR
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
