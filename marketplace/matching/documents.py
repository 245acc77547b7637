"""What the matcher indexes: one text document per published listing, public case and live need.

Document ids are "<kind>:<primary key>". The text joins what a person would search by (title, summary,
description, tags, tasks) with the Chinese names of the record's industries and scenarios, so a query
that names a scenario finds records that only carry its code. `stamp` changes whenever the indexed text
may have changed, which lets an index detect and catch up with edits made while it was not running.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace import vocab
from marketplace.cases.models import Case
from marketplace.cases.services import PUBLIC_STATES
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.needs.models import Need, NeedStatus
from marketplace.states import ListingState

KINDS = {"offering": Offering, "model": IndustrialModel, "provider": ProviderProfile, "case": Case, "need": Need}
SOLUTION_KINDS = ("offering", "model", "provider", "case")
LIVE_NEED_STATES = (NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value)


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
    """Return the index kind of a record."""
    for kind, cls in KINDS.items():
        if isinstance(record, cls):
            return kind
    raise TypeError(f"{type(record).__name__} is not indexed")


def labels(codes, terms) -> str:
    """Return the Chinese names of some vocabulary codes."""
    found = (vocab.lookup(terms, c) for c in codes or [])
    return " ".join(t.zh for t in found if t is not None)


def compose(*parts: str | None) -> str:
    """Join the non-empty text parts into one document."""
    return "\n".join(p.strip() for p in parts if p and p.strip())


def is_indexed(record) -> bool:
    """Tell whether a record belongs in the index in its current state."""
    if isinstance(record, Need):
        return record.status in LIVE_NEED_STATES
    if isinstance(record, Case):
        return record.state in PUBLIC_STATES
    return record.state == ListingState.PUBLISHED.value


def document_for(record) -> Document:
    """Build the document of a record."""
    kind = kind_of(record)
    scenarios = record.scenarios
    facets = compose(labels(record.industries, vocab.INDUSTRIES), labels(scenarios, vocab.SCENARIOS))
    if kind == "offering":
        text = compose(record.title, record.summary, record.description, record.tags,
                       " ".join(f"{m.name} {m.tasks or ''}" for m in record.models), facets)
    elif kind == "model":
        text = compose(record.name, record.summary, record.description, record.tasks, record.hardware, facets)
    elif kind == "provider":
        text = compose(record.organisation.name, record.summary, record.capabilities, record.reference_cases,
                       facets)
    elif kind == "case":
        text = compose(record.title, record.problem, record.solution,
                       " ".join(r.indicator for r in record.results), facets)
    else:
        text = compose(record.title, record.description, record.pain_points, record.data_available, facets)
    stamp = (record.updated_at or record.created_at).isoformat() if record.updated_at or record.created_at else ""
    return Document(doc_id(kind, record.id), text, scenarios[0] if scenarios else None, stamp)


def indexed_records(session: Session) -> Iterator:
    """Yield every record that belongs in the index."""
    published = ListingState.PUBLISHED.value
    for cls in (Offering, IndustrialModel, ProviderProfile):
        yield from session.scalars(select(cls).where(cls.state == published).order_by(cls.id))
    yield from session.scalars(select(Case).where(Case.state.in_(PUBLIC_STATES)).order_by(Case.id))
    yield from session.scalars(select(Need).where(Need.status.in_(LIVE_NEED_STATES)).order_by(Need.id))


def current_stamps(session: Session) -> dict[str, str]:
    """Return {doc id: stamp} for everything that belongs in the index, straight from the database."""
    stamps: dict[str, str] = {}
    published = ListingState.PUBLISHED.value
    queries = [
        ("offering", select(Offering.id, Offering.updated_at).where(Offering.state == published)),
        ("model", select(IndustrialModel.id, IndustrialModel.updated_at).where(IndustrialModel.state == published)),
        ("provider", select(ProviderProfile.id, ProviderProfile.updated_at)
         .where(ProviderProfile.state == published)),
        ("case", select(Case.id, Case.updated_at).where(Case.state.in_(PUBLIC_STATES))),
        ("need", select(Need.id, Need.updated_at).where(Need.status.in_(LIVE_NEED_STATES))),
    ]
    for kind, stmt in queries:
        for pk, updated in session.execute(stmt):
            stamps[doc_id(kind, pk)] = updated.isoformat() if updated else ""
    return stamps
