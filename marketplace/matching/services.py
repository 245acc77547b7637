"""Matching services: search across kinds, solutions for a need, leads for a listing, similar listings.

The only place the app calls the search index (through `MatchingEngine`). Filters are applied by the
database (which records are visible and match the facets), the ranking by the index, and every result
carries a `Match` explanation a person can read: shared key terms, same industry / scenario / city,
deployment and budget fit, and a relevance figure. Which kinds exist, which of their records a user may
find with the filters, and how a record's cities, deployments, price and budget read all come from the
registry of kinds (`marketplace.kinds`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import ScalarResult, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.kinds import REGISTRY, get_kind, kind_of, solution_kinds
from marketplace.matching.documents import doc_id, parse_doc_id
from marketplace.needs.models import Need

if TYPE_CHECKING:
    from marketplace.kinds.base import IndexedModel


@dataclass
class Match:
    """One ranked record with the reasons it matched."""

    kind: str
    record: IndexedModel
    score: float
    terms: list[str] = field(default_factory=list)
    same_industry: bool = False
    same_scenario: bool = False
    same_city: bool = False
    deployment_fit: bool | None = None
    budget_fit: bool | None = None
    over_budget_fen: int | None = None
    dense_score: float | None = None

    @property
    def key_terms(self) -> list[str]:
        """The shared terms to list, without those contained in a longer listed term."""
        return [t for t in self.terms if not any(t != o and t in o for o in self.terms)][:6]

    @property
    def percent(self) -> int:
        """The relevance figure shown to people, 0–100."""
        return max(0, min(100, round(self.score * 100)))


def engine():
    """Return the app's matching engine."""
    return current_app.extensions["matching"]


def encoder_text(text: str) -> str:
    """Bound the text one search sends to the encoder and the lexical index (MATCHING_ENCODE_MAX_CHARS).

    Encoding time grows with the text and runs under the encoder's one lock, so a single long text would
    hold up every other search in the process; the first characters carry the meaning anyway.
    """
    return (text or "")[:max(1, int(current_app.config.get("MATCHING_ENCODE_MAX_CHARS", 1000)))]


def visible_ids(kind: str, filters: dict, user: User) -> set[str]:
    """Return the doc ids of one kind that the user may find and that pass the facet filters."""
    return {doc_id(kind, pk) for pk in db.session.scalars(get_kind(kind).findable(filters, user))}


def load_records(hits) -> dict[str, IndexedModel]:
    """Fetch the records behind index hits, one query per kind."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        kind, pk = parse_doc_id(hit.doc_id)
        wanted.setdefault(kind, []).append(pk)
    records: dict[str, IndexedModel] = {}
    for kind, pks in wanted.items():
        if kind not in REGISTRY:
            continue
        cls = get_kind(kind).model
        found: ScalarResult[IndexedModel] = db.session.scalars(select(cls).where(cls.id.in_(pks)))
        for record in found:
            records[doc_id(kind, record.id)] = record
    return records


def display_terms(terms) -> list[str]:
    """Keep the shared terms worth highlighting: two characters or more (single characters are noise)."""
    return sorted({t for t in terms if len(t.strip()) >= 2}, key=lambda t: (-len(t), t))


def explain(kind: str, record, hit, context: dict) -> Match:
    """Build the explanation of one hit relative to the context (a need, a listing or search filters)."""
    entry = get_kind(kind)
    match = Match(kind=kind, record=record, score=hit.score, terms=display_terms(hit.matched_terms),
                  dense_score=hit.dense_score)
    industries = set(context.get("industries") or [])
    scenarios = set(context.get("scenarios") or [])
    cities = set(context.get("cities") or [])
    match.same_industry = bool(industries & set(record.industries))
    match.same_scenario = bool(scenarios & set(record.scenarios))
    match.same_city = bool(cities & entry.cities(record))
    deployment, deployments = context.get("deployment"), entry.deployments(record)
    if deployment and deployments is not None:
        match.deployment_fit = deployment in deployments
    budget, price = context.get("budget"), entry.price(record)
    if budget is not None and price is not None:
        match.budget_fit = price <= budget
        if not match.budget_fit:
            match.over_budget_fen = price - budget
    offered, cap = context.get("price"), entry.budget_cap(record)
    if offered is not None and cap is not None:
        match.budget_fit = offered <= cap
    return match


def to_matches(hits, context: dict, min_score: float | None = None) -> list[Match]:
    """Turn index hits into explained matches, dropping records that vanished meanwhile."""
    threshold = current_app.config["MATCHING_MIN_SCORE"] if min_score is None else min_score
    records = load_records(hits)
    out = []
    for hit in hits:
        record = records.get(hit.doc_id)
        if record is None or hit.score < threshold:
            continue
        out.append(explain(parse_doc_id(hit.doc_id)[0], record, hit, context))
    return out


def search(query: str, filters: dict, user: User, k: int = 20) -> list[Match]:
    """Search all kinds (or the one in filters['kind']) for a free-text query, explained."""
    kinds = [filters["kind"]] if filters.get("kind") in REGISTRY else list(REGISTRY)
    allowed = set().union(*(visible_ids(kind, filters, user) for kind in kinds))
    if not allowed or not query.strip():
        return []
    hits = engine().index().search(encoder_text(query), k=k, allowed=allowed)
    context = {"industries": [filters["industry"]] if filters.get("industry") else [],
               "scenarios": [filters["scenario"]] if filters.get("scenario") else [],
               "cities": [filters["city"]] if filters.get("city") else
               ([user.organisation.city] if user.is_authenticated else []),
               "deployment": filters.get("deployment"), "budget": filters.get("budget")}
    return to_matches(hits, context)


def predict_scenarios(query: str, n: int = 3) -> list[tuple[str, float]]:
    """Return the taxonomy scenarios a free-text query most likely belongs to, with probabilities."""
    index = engine().index()
    if index.scenarios is None or not query.strip():
        return []
    dist = index.scenarios.predict(encoder_text(query))
    return index.scenarios.top(dist, n)


def need_context(need: Need) -> dict:
    """The facts of a need that explanations compare listings against."""
    return {"industries": [need.industry], "scenarios": [need.scenario], "cities": [need.city],
            "deployment": need.deployment, "budget": need.budget_max_fen}


def rank_for_need(need: Need, user: User, per_kind: int = 5, filters: dict | None = None) -> dict[str, list[Match]]:
    """Return the best records of each solution kind for a need (推荐方案), explained."""
    filters = dict(filters or {})
    index = engine().index()
    source = doc_id("need", need.id)
    result: dict[str, list[Match]] = {}
    for kind in (k.name for k in solution_kinds()):
        allowed = visible_ids(kind, filters, user)
        if not allowed:
            result[kind] = []
            continue
        if source in index:
            hits = index.similar(source, k=per_kind, allowed=allowed)
        else:
            text = f"{need.title}\n{need.description}\n{need.pain_points or ''}"
            hits = index.search(encoder_text(text), k=per_kind, allowed=allowed, scenario=need.scenario)
        result[kind] = to_matches(hits, need_context(need))
    return result


def listing_context(listing) -> dict:
    """The facts of a listing that explanations compare needs or listings against."""
    entry = kind_of(listing)
    return {"industries": listing.industries, "scenarios": listing.scenarios,
            "cities": sorted(entry.cities(listing)), "price": entry.price(listing)}


def leads_for_listing(listing, user: User, k: int = 8) -> list[Match]:
    """Return the live needs a listing answers (a vendor's leads), explained; long-stale needs are left out."""
    from marketplace.needs.selectors import needs_for_leads, visible_to

    grace = int(current_app.config["NEED_STALE_GRACE_DAYS"])
    stmt = visible_to(needs_for_leads(date.today(), grace), user).with_only_columns(Need.id)
    allowed = {doc_id("need", pk) for pk in db.session.scalars(stmt)}
    source = doc_id(kind_of(listing).name, listing.id)
    index = engine().index()
    if not allowed or source not in index:
        return []
    return to_matches(index.similar(source, k=k, allowed=allowed), listing_context(listing))


def similar_listings(listing, user: User, k: int = 5) -> list[Match]:
    """Return published listings of the same kind like this one (相似方案), explained."""
    kind = kind_of(listing).name
    source = doc_id(kind, listing.id)
    allowed = visible_ids(kind, {}, user) - {source}
    index = engine().index()
    if not allowed or source not in index:
        return []
    return to_matches(index.similar(source, k=k, allowed=allowed), listing_context(listing))


def pair_needs_with_offerings(needs: list[Need], offerings: list[Offering], user: User,
                              per_need: int = 3) -> list[tuple[Need, list[Match]]]:
    """Return, for each need, the best of the given offerings with explanations (an event's pairing table)."""
    index = engine().index()
    allowed = {doc_id("offering", o.id) for o in offerings if o.is_published}
    out: list[tuple[Need, list[Match]]] = []
    for need in needs:
        if not allowed:
            out.append((need, []))
            continue
        source = doc_id("need", need.id)
        if source in index:
            hits = index.similar(source, k=per_need, allowed=allowed)
        else:
            text = f"{need.title}\n{need.description}\n{need.pain_points or ''}"
            hits = index.search(encoder_text(text), k=per_need, allowed=allowed, scenario=need.scenario)
        out.append((need, to_matches(hits, need_context(need), min_score=0.0)))
    return out


def best_similarity(matches: list[Match]) -> float | None:
    """Return the highest semantic similarity among matches (None when there are none)."""
    return max((m.dense_score for m in matches if m.dense_score is not None), default=None)


def best_solution_similarity(needs: list[Need], user: User) -> dict[int, float] | None:
    """Return {need id: similarity of its best published offering or model} for needs in the index.

    Returns None while the index is not loaded yet, so a report never waits for a rebuild.
    """
    matching = engine()
    if not matching.ready:
        return None
    index = matching.index()
    allowed = visible_ids("offering", {}, user) | visible_ids("model", {}, user)
    out: dict[int, float] = {}
    for need in needs:
        source = doc_id("need", need.id)
        if not allowed or source not in index:
            continue
        hits = index.similar(source, k=3, allowed=allowed)
        best = max((h.dense_score for h in hits if h.dense_score is not None), default=None)
        if best is not None:
            out[need.id] = best
    return out
