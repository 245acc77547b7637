"""Datasets and models paired both ways: "models that could be trained or tuned on this data" on a dataset's page,
and "data that would let this model serve my scenario" on a model card.

The search engine ranks the candidates (`matching.services.ranked`, with the page's own record as the source, as
a listing's similar listings are ranked); the database admits only published records that share a scenario or an
industry with it, so every pair is about the same work. Each match carries the usual explanation.
"""
from __future__ import annotations

from sqlalchemy import false, or_

from marketplace.db_types import contains_code
from marketplace.kinds import get_kind
from marketplace.matching.documents import doc_id
from marketplace.matching.services import Match, listing_context, listing_text, ranked, with_cards


def sharing_work(model_class, record):
    """SQL condition: a record of `model_class` shares a scenario or an industry with `record`."""
    conditions = [contains_code(model_class.scenarios, code) for code in record.scenarios or []]
    conditions += [contains_code(model_class.industries, code) for code in record.industries or []]
    return or_(*conditions) if conditions else false()


def paired(record, source_kind: str, wanted_kind: str, user, k: int) -> list[Match]:
    """Rank the published records of `wanted_kind` that share work with `record`, by the engine, explained."""
    wanted = get_kind(wanted_kind)
    stmt = wanted.findable({}, user).where(sharing_work(wanted.model, record))
    scenario = record.scenarios[0] if record.scenarios else None
    return with_cards(ranked(listing_text(record), {wanted_kind: stmt}, listing_context(record), scenario=scenario,
                             source=doc_id(source_kind, record.id), cards=False).matches[:k])


def models_for_dataset(dataset, user, k: int = 6) -> list[Match]:
    """Return the published models that could be trained or tuned on a dataset, best first."""
    return paired(dataset, "dataset", "model", user, k)


def datasets_for_model(model, user, k: int = 6) -> list[Match]:
    """Return the published datasets that would let a model serve their scenarios, best first."""
    return paired(model, "model", "dataset", user, k)
