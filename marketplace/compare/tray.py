"""The compare tray: the models a visitor or user has picked for comparison, at most `MAX_MODELS`.

The tray lives in the database (`CompareTrayEntry`), named by a random key the visitor's session holds
(`TRAY_KEY`). Adding writes one row under a lock on the tray's name, so two quick adds never overtake each
other (as two writes of a whole session-kept list did), the same model is added once, and a fifth is refused
with a message the user can act on; entries older than `KEPT_FOR` are dropped as new ones come. The caller
commits.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from marketplace.accounts.models import utcnow
from marketplace.compare.models import CompareTrayEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import lock_name

MIN_MODELS = 2
MAX_MODELS = 4
"""A comparison shows two to four models side by side: fewer is no comparison, more no longer fits a screen."""

TRAY_KEY = "compare_tray_key"
"""The session entry naming the visitor's tray."""

TRAY_FILLED = "compare_tray_filled"
"""Whether the visitor has models in their tray, so pages read the tray only then (a visitor who never added one
costs no query). Racing adds all write True; a removal writes whether any model is left."""

KEPT_FOR = timedelta(days=30)
"""How long a tray's entries are kept: a tray is a pick list for one visit, not a saved list."""


def new_tray_key() -> str:
    """Return a fresh, unguessable tray name."""
    return secrets.token_hex(16)


def is_tray_key(value: object) -> bool:
    """Tell whether a session value is a tray name this module made (32 hex digits)."""
    return isinstance(value, str) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def tray_ids(key: str | None) -> list[int]:
    """Return the ids of the models in a tray, in the order they were added (none without a key)."""
    if not key:
        return []
    return list(db.session.scalars(select(CompareTrayEntry.model_id).where(CompareTrayEntry.tray_key == key)
                                   .order_by(CompareTrayEntry.added_at, CompareTrayEntry.id).limit(MAX_MODELS)))


def add_to_tray(key: str, model_id: int) -> list[int]:
    """Add a model to a tray (already there: unchanged) and return the tray; a fifth model is refused."""
    lock_name(f"compare-tray:{key}")
    ids = tray_ids(key)
    if model_id in ids:
        return ids
    held = db.session.scalar(select(func.count()).select_from(CompareTrayEntry)
                             .where(CompareTrayEntry.tray_key == key))
    if (held or 0) >= MAX_MODELS:
        raise DomainError(_("You can compare at most %(n)s models at a time. Remove one from the comparison "
                            "before adding another.", n=MAX_MODELS))
    db.session.add(CompareTrayEntry(tray_key=key, model_id=model_id))
    db.session.execute(delete(CompareTrayEntry).where(CompareTrayEntry.added_at < utcnow() - KEPT_FOR))
    db.session.flush()
    return [*ids, model_id]


def remove_from_tray(key: str, model_id: int) -> list[int]:
    """Take a model out of a tray and return the tray."""
    db.session.execute(delete(CompareTrayEntry).where(CompareTrayEntry.tray_key == key,
                                                      CompareTrayEntry.model_id == model_id))
    return tray_ids(key)


def clear_tray(key: str) -> list[int]:
    """Empty a tray."""
    db.session.execute(delete(CompareTrayEntry).where(CompareTrayEntry.tray_key == key))
    return []


def parse_ids(text: str | list[str] | None) -> list[int]:
    """Read model ids from ?ids=3,5,8 (or repeated ids=): whole positive numbers, in order, without repeats."""
    parts = text if isinstance(text, list) else [text or ""]
    ids: list[int] = []
    for part in parts:
        for piece in part.replace("，", ",").split(","):
            piece = piece.strip()
            if piece.isascii() and piece.isdigit() and len(piece) <= 10 and 0 < int(piece) < 2**31 \
                    and int(piece) not in ids:
                ids.append(int(piece))
    return ids
