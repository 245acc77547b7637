"""Keyset pagination for the JSON API's lists: an opaque, signed cursor naming the last record a client saw.

A client walking a whole list asks `?cursor=` (empty) for the first page and then follows `next_cursor`;
each page is one index range on the primary key (newest first), so page 5,000 costs what page 1 costs,
and records added meanwhile never shift what the client has still to read. `?page=` keeps working.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select

from marketplace.extensions import db


class InvalidCursor(ValueError):
    """A cursor that this site did not issue for this list."""


def serializer() -> URLSafeSerializer:
    """The signer of cursors (the app's secret key; a cursor is no secret, only tamper-evident)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-cursor")


def encode_cursor(collection: str, last_id: int) -> str:
    """Return the cursor that continues a list after the record `last_id`."""
    return serializer().dumps([collection, int(last_id)])


def decode_cursor(collection: str, cursor: str) -> int | None:
    """Return the last id a cursor names (None for the empty cursor: start at the top); InvalidCursor if forged,
    damaged or issued for another list."""
    if not cursor:
        return None
    try:
        named, last_id = serializer().loads(cursor)
    except (BadSignature, TypeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc
    if named != collection or not isinstance(last_id, int):
        raise InvalidCursor(cursor)
    return last_id


@dataclass
class KeysetPage:
    """One page of a keyset walk: the records and the cursor of the next page (None at the end)."""

    items: list
    next_cursor: str | None


def keyset_page(collection: str, stmt: Select, model, cursor: str, limit: int, options=()) -> KeysetPage:
    """Return the page of a select after the cursor, newest (highest id) first, in one statement."""
    last_id = decode_cursor(collection, cursor)
    stmt = stmt.order_by(None).order_by(model.id.desc()).options(*options).limit(limit + 1)
    if last_id is not None:
        stmt = stmt.where(model.id < last_id)
    rows = list(db.session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return KeysetPage(rows, encode_cursor(collection, rows[-1].id) if more and rows else None)
