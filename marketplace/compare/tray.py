"""The compare tray: the models a visitor or user has picked for comparison, kept in their session.

The tray is a list of model ids, at most `MAX_MODELS` long; the functions here take the list and return the new
one (the view keeps it in the session), and refuse a fifth model with a message the user can act on.
"""
from __future__ import annotations

from flask_babel import gettext as _

from marketplace.errors import DomainError

MIN_MODELS = 2
MAX_MODELS = 4
"""A comparison shows two to four models side by side: fewer is no comparison, more no longer fits a screen."""

SESSION_KEY = "compare_tray"


def read_tray(stored: object) -> list[int]:
    """Return the tray from what the session holds: whole positive ids, no repeats, at most MAX_MODELS."""
    ids: list[int] = []
    for value in stored if isinstance(stored, list) else []:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0 and value not in ids:
            ids.append(value)
    return ids[:MAX_MODELS]


def add_to_tray(tray: list[int], model_id: int) -> list[int]:
    """Add a model to the tray (already there: unchanged); a fifth model is refused."""
    if model_id in tray:
        return list(tray)
    if len(tray) >= MAX_MODELS:
        raise DomainError(_("You can compare at most %(n)s models at a time. Remove one from the comparison "
                            "before adding another.", n=MAX_MODELS))
    return [*tray, model_id]


def remove_from_tray(tray: list[int], model_id: int) -> list[int]:
    """Take a model out of the tray."""
    return [i for i in tray if i != model_id]


def parse_ids(text: str | list[str] | None) -> list[int]:
    """Read model ids from ?ids=3,5,8 (or repeated ids=): whole positive numbers, in order, without repeats."""
    parts = text if isinstance(text, list) else [text or ""]
    ids: list[int] = []
    for part in parts:
        for piece in part.replace("，", ",").split(","):
            piece = piece.strip()
            if piece.isascii() and piece.isdigit() and 0 < int(piece) < 2**31 and int(piece) not in ids:
                ids.append(int(piece))
    return ids
