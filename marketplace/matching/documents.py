"""What the matcher indexes: one text document per record the registry of kinds says is indexed.

Document ids are "<kind>:<primary key>". The text joins what a person would search by (each kind's
`text_parts`, see `marketplace.kinds`) with the Chinese names of the record's industries and scenarios,
so a query that names a scenario finds records that only carry its code. `stamp` changes whenever the
indexed text may have changed, which lets an index detect and catch up with edits made while it was not
running.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.kinds import all_kinds, facets, get_kind
from marketplace.kinds import kind_of as registered_kind
from marketplace.needs.selectors import LIVE_STATUSES as LIVE_NEED_STATES  # noqa: F401  (older importers)


@dataclass(frozen=True)
class Document:
    """One indexable document: id, text, primary scenario and a change stamp."""

    doc_id: str
    text: str
    scenario: str | None
    stamp: str


def doc_id(kind: str, record_id: int) -> str:
    """Return the index id of a record."""
    return f"{kind}:{record_id}"


def parse_doc_id(value: str) -> tuple[str, int]:
    """Split an index id into (kind, primary key)."""
    kind, _, pk = value.partition(":")
    return kind, int(pk)


def kind_of(record) -> str:
    """Return the name of a record's kind (TypeError if it is not indexed)."""
    return registered_kind(record).name


def model_of(kind: str):
    """Return the model class of a kind name."""
    return get_kind(kind).model


def compose(*parts: str | None) -> str:
    """Join the non-empty text parts into one document."""
    return "\n".join(p.strip() for p in parts if p and p.strip())


def is_indexed(record) -> bool:
    """Tell whether a record belongs in the index in its current state."""
    return registered_kind(record).is_indexed(record)


def stamp_of(moment) -> str:
    """Return the change stamp of a record's last update."""
    return moment.isoformat() if moment else ""


def document_for(record) -> Document:
    """Build the document of a record."""
    kind = registered_kind(record)
    scenarios = record.scenarios
    text = compose(*kind.text_parts(record), facets(record))
    return Document(doc_id(kind.name, record.id), text, scenarios[0] if scenarios else None,
                    stamp_of(record.updated_at or record.created_at))


def with_text(kind, stmt):
    """A select of a kind's records that also loads what their documents read (no query per record)."""
    return stmt.options(*kind.loads())


def indexed_records(session: Session) -> Iterator:
    """Yield every record that belongs in the index, kind by kind (their related rows loaded in batches)."""
    for kind in all_kinds():
        yield from session.scalars(with_text(kind, kind.indexed().order_by(kind.model.id)))


def records_by_id(session: Session, kind_name: str, pks: list[int]) -> list:
    """The records of one kind with the given primary keys, loaded with what their documents read."""
    kind = get_kind(kind_name)
    return list(session.scalars(with_text(kind, select(kind.model).where(kind.model.id.in_(pks)))))


def current_stamps(session: Session) -> dict[str, str]:
    """Return {doc id: stamp} for everything that belongs in the index, straight from the database."""
    stamps: dict[str, str] = {}
    for kind in all_kinds():
        stmt = kind.indexed().with_only_columns(kind.model.id, kind.model.updated_at)
        for pk, updated in session.execute(stmt):
            stamps[doc_id(kind.name, pk)] = stamp_of(updated)
    return stamps
