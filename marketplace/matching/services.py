"""Matching services: search across kinds, solutions for a need, leads for a listing, similar listings.

The only place the app calls the search index (through `MatchingEngine`). Filters are applied by the
database (which records are visible and match the facets), the ranking by the index, and every result
carries a `Match` explanation a person can read: shared key terms, same industry / scenario / city,
deployment and budget fit, and a relevance figure. Which kinds exist, which of their records a user may
find with the filters, and how a record's cities, deployments, price and budget read all come from the
registry of kinds (`marketplace.kinds`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeVar, cast

from flask import current_app
from sqlalchemy import ScalarResult, Select, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.kinds import REGISTRY, all_kinds, get_kind, kind_of, solution_kinds
from marketplace.matching import relevance
from marketplace.matching.documents import doc_id, parse_doc_id
from marketplace.matching.forms import NEEDS_TAB, SOLUTIONS_TAB
from marketplace.matching.relevance import Label
from marketplace.needs.models import Need
from marketplace.permissions import acts_as

if TYPE_CHECKING:
    from marketplace.kinds.base import IndexedModel

T = TypeVar("T")

SCENARIO_SURE = 0.40
"""The probability the best predicted scenario needs before any prediction is shown."""
SCENARIO_SHOWN = 0.15
"""The probability a further predicted scenario needs to be shown beside the best one."""
SHORT_LIST_POOL = 40
"""The fewest results a short list ranks (see `short_list_pool`); the evaluation grades nDCG@10 from a pool of 50."""


@dataclass
class Match:
    """One ranked record with the reasons it matched and its calibrated relevance."""

    kind: str
    record: IndexedModel
    relevance: float
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
        """The relevance as a whole percentage, 0–100 (the probability that the result is relevant)."""
        return max(0, min(100, round(self.relevance * 100)))

    @property
    def label(self) -> Label:
        """The relevance in words (高度相关 / 相关 / 可能相关)."""
        return relevance.label(self.relevance)

    @property
    def city_reason(self):
        """What the shared city means for this kind of record (a provider serves it, a vendor is based there)."""
        return get_kind(self.kind).city_reason

    @property
    def mismatches(self) -> int:
        """How many explicit wishes of the searcher this result contradicts (deployment, budget)."""
        return int(self.deployment_fit is False) + int(self.budget_fit is False)


@dataclass
class Results:
    """The good matches of a search, best first, and what the search understood."""

    matches: list[Match]
    predicted: list[tuple[str, float]] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many results are good matches (above the relevance floor)."""
        return len(self.matches)

    @property
    def best(self) -> float | None:
        """The best relevance found (None when nothing was found)."""
        return self.matches[0].relevance if self.matches else None


def engine():
    """Return the app's matching engine."""
    return current_app.extensions["matching"]


def encoder_text(text: str) -> str:
    """Bound the text one search sends to the encoder and the lexical index (MATCHING_ENCODE_MAX_CHARS).

    Encoding time grows with the text and runs under the encoder's one lock, so a single long text would
    hold up every other search in the process; the first characters carry the meaning anyway.
    """
    return (text or "")[:max(1, int(current_app.config.get("MATCHING_ENCODE_MAX_CHARS", 1000)))]


def load_records(hits) -> dict[str, IndexedModel]:
    """Fetch the records behind index hits with what their explanations read, one query per kind.

    What their cards read besides comes with `with_cards`, for the records shown.
    """
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        kind, pk = parse_doc_id(hit.doc_id)
        wanted.setdefault(kind, []).append(pk)
    records: dict[str, IndexedModel] = {}
    for kind, pks in wanted.items():
        if kind in REGISTRY:
            for record in by_id(kind, pks, get_kind(kind).explain_loads()):
                records[doc_id(kind, record.id)] = record
    return records


def by_id(kind: str, pks: list[int], options: list) -> ScalarResult[IndexedModel]:
    """The records of a kind with these primary keys, with the loader options, in one query."""
    cls = get_kind(kind).model
    return db.session.scalars(select(cls).where(cls.id.in_(pks)).options(*options))


def with_cards(shown: Iterable[T]) -> list[T]:
    """Load what the cards of the shown matches (or records) read, one query per kind; return them as given.

    A ranking explains all its matches but a page shows a few: their organisations' logos, covers, models and
    results are read for those only (`Kind.loads`), into the records already loaded, not one query per card.
    """
    shown = list(shown)
    wanted: dict[str, list[int]] = {}
    for item in shown:
        record: IndexedModel = item.record if isinstance(item, Match) else cast("IndexedModel", item)
        wanted.setdefault(kind_of(record).name, []).append(record.id)
    for kind, pks in wanted.items():
        loads = get_kind(kind).loads()
        if loads:
            by_id(kind, pks, loads).all()  # into the records the session holds already
    return shown


def display_terms(terms) -> list[str]:
    """Keep the shared terms worth highlighting, in the order the index gives them (the ones that weigh most first).

    Single characters are noise; the index already leaves out stop words and function words.
    """
    seen: list[str] = []
    for term in terms:
        term = term.strip()
        if len(term) >= 2 and term not in seen:
            seen.append(term)
    return seen


def explain(kind: str, record, hit, context: dict) -> Match:
    """Build the explanation of one hit relative to the context (a need, a listing or search filters).

    The relevance is the hit's calibrated one, lowered for each explicit mismatch with the context.
    """
    entry = get_kind(kind)
    match = Match(kind=kind, record=record, relevance=hit_relevance(hit), terms=display_terms(hit.matched_terms),
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
    match.relevance = relevance.adjusted(match.relevance, match.mismatches)
    return match


def hit_relevance(hit) -> float:
    """The calibrated relevance the index gives a hit."""
    return float(hit.relevance)


def to_matches(hits, context: dict, records: dict[str, IndexedModel] | None = None) -> list[Match]:
    """Turn index hits into explained matches above the relevance floor, best first.

    Records that vanished meanwhile are dropped; so are results whose relevance (after mismatches) is
    below the floor: they are not matches, whatever their rank. `records` are the hits' records when the
    caller already loaded them (several rankings at once).
    """
    threshold = relevance.floor()
    hits = [h for h in hits if hit_relevance(h) >= threshold]  # a mismatch only lowers it: drop these unread
    if records is None:
        records = load_records(hits)
    out = []
    for hit in hits:
        record = records.get(hit.doc_id)
        if record is None:
            continue
        match = explain(parse_doc_id(hit.doc_id)[0], record, hit, context)
        if match.relevance >= threshold:
            out.append(match)
    out.sort(key=lambda m: -m.relevance)  # stable: equal relevance keeps the index's order
    return out


def allowed_among(selects: dict[str, Select], hits) -> set[str]:
    """Return the hits' doc ids that the per-kind selects of ids admit (one query per kind, on primary keys)."""
    wanted: dict[str, list[int]] = {}
    for hit in hits:
        kind, pk = parse_doc_id(hit.doc_id)
        if kind in selects:
            wanted.setdefault(kind, []).append(pk)
    allowed: set[str] = set()
    for kind, pks in wanted.items():
        cls = get_kind(kind).model
        allowed |= {doc_id(kind, pk) for pk in db.session.scalars(selects[kind].where(cls.id.in_(pks)))}
    return allowed


def ranked(query: str, selects: dict[str, Select], context: dict, limit: int | None = None,
           scenario: str | None = None, source: str | None = None, cards: bool = True) -> Results:
    """Rank the records the per-kind selects of ids admit for a free-text query, above the relevance floor.

    The query is encoded once; the same vector predicts its scenarios. With `source` (the doc id of an
    indexed record: a need, a listing), its stored vector and key terms stand for the query and nothing is
    encoded. The index ranks the documents of the selected kinds and the database checks only the candidates
    (their primary keys) against the selects, so a keystroke never reads whole tables; when the filters are
    so narrow that too few candidates pass, the index is asked again within exactly the admitted records
    (a database index by the selects in its own WHERE clause, the embedded index by their ids).

    Every match is explained (counted, ordered); what its card reads besides is loaded for all of them, or,
    with `cards=False`, by the caller for the ones it shows (`with_cards`).
    """
    if not selects:
        return Results([])
    limit = limit or int(current_app.config["MATCHING_CANDIDATES"])
    index = engine().index()
    analysis = None
    if source is not None and source in index:
        def run(allowed=None):
            return index.similar(source, k=limit, allowed=allowed, min_relevance=relevance.floor())
    else:
        text = encoder_text(query).strip()
        if not text:
            return Results([])
        analysis = index.analyse(text, scenario=scenario)

        def run(allowed=None):
            return index.search(text, k=limit, allowed=allowed, analysis=analysis, min_relevance=relevance.floor())
    where = index.backend.where_records(selects)
    hits = run(where.kinds_only() if where is not None else None)
    admitted = allowed_among(selects, hits)
    if len(hits) >= limit and len(admitted) < limit // 2:
        if where is not None:  # the database index filters by the selects in its own WHERE clause
            hits = run(where)
        else:
            everything = set().union(*({doc_id(kind, pk) for pk in db.session.scalars(stmt)}
                                       for kind, stmt in selects.items()))
            hits = run(everything) if everything else []
        admitted = {h.doc_id for h in hits}
    matches = to_matches([h for h in hits if h.doc_id in admitted], context)
    if cards:
        with_cards(matches)
    predicted = sure_scenarios(analysis.top_scenarios(3)) if analysis is not None and scenario is None else []
    return Results(matches, predicted)


def search_context(filters: dict, user: User) -> dict:
    """The facts a search's explanations compare against: its facets, else the searcher's own city."""
    return {"industries": [filters["industry"]] if filters.get("industry") else [],
            "scenarios": [filters["scenario"]] if filters.get("scenario") else [],
            "cities": [filters["city"]] if filters.get("city") else
            ([user.organisation.city] if user.is_authenticated and user.organisation else []),
            "deployment": filters.get("deployment"), "budget": filters.get("budget")}


def default_tab(user: User) -> str:
    """What a search covers when the searcher picks nothing: needs (leads) for vendors, solutions for others."""
    return NEEDS_TAB if acts_as(user, "vendor") else SOLUTIONS_TAB


def search_kinds(filters: dict) -> list[str]:
    """The kinds a search covers: one kind, the needs, or (the default) every kind of solution."""
    wanted = filters.get("kind")
    if wanted in REGISTRY:
        return [wanted]
    if wanted == NEEDS_TAB:
        return [k.name for k in all_kinds() if k.demand]
    return [k.name for k in solution_kinds()]


def search(query: str, filters: dict, user: User, k: int | None = None, cards: bool = True) -> Results:
    """Search the solutions (or the needs, or one kind: filters['kind']) for a free-text query, explained.

    Without a kind, the searcher's default tab decides: needs for vendors, solutions for everyone else.
    A caller that shows a page of the matches passes `cards=False` and loads that page's cards (`with_cards`).
    """
    filters = {**filters, "kind": filters.get("kind") or default_tab(user)}
    selects = {kind: get_kind(kind).findable(filters, user) for kind in search_kinds(filters)}
    return ranked(query, selects, search_context(filters, user), limit=k, scenario=filters.get("scenario"),
                  cards=cards)


def rank_select(kind: str, stmt: Select, query: str, filters: dict, user: User, cards: bool = True) -> Results:
    """Rank the records of one kind that a browse page's select admits, by the query (the keyword boxes)."""
    model = get_kind(kind).model
    ids = stmt.with_only_columns(model.id).order_by(None)
    return ranked(query, {kind: ids}, search_context(filters, user), scenario=filters.get("scenario"), cards=cards)


def sure_scenarios(top: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The likely scenarios worth showing, or nothing when the model is unsure.

    A prediction is shown ("您可能在找", the need form's suggestions) only when its best scenario reaches
    SCENARIO_SURE; then the scenarios within reach of it (at least SCENARIO_SHOWN) are listed.
    """
    if not top or top[0][1] < SCENARIO_SURE:
        return []
    return [(code, p) for code, p in top if p >= SCENARIO_SHOWN]


def predict_scenarios(text: str, n: int = 3) -> list[tuple[str, float]]:
    """Return the scenarios a free text most likely belongs to (the need form's suggestions), or [] when unsure."""
    text = encoder_text(text).strip()
    if not text:
        return []
    return sure_scenarios(engine().index().analyse(text).top_scenarios(n))


def need_text(need: Need) -> str:
    """What a need says, as a query for the solutions that answer it."""
    return encoder_text(f"{need.title}\n{need.description}\n{need.pain_points or ''}")


def need_context(need: Need) -> dict:
    """The facts of a need that explanations compare listings against."""
    return {"industries": [need.industry], "scenarios": [need.scenario], "cities": [need.city],
            "deployment": need.deployment, "budget": need.budget_max_fen}


def rank_for_need(need: Need, user: User, per_kind: int = 5, filters: dict | None = None) -> dict[str, list[Match]]:
    """Return the best records of each solution kind for a need (推荐方案), explained, above the floor."""
    filters = dict(filters or {})
    selects = {k.name: k.findable(filters, user) for k in solution_kinds()}
    found = ranked(need_text(need), selects, need_context(need), scenario=need.scenario,
                   source=doc_id("need", need.id), cards=False).matches
    result: dict[str, list[Match]] = {kind: [] for kind in selects}
    for match in found:
        if len(result[match.kind]) < per_kind:
            result[match.kind].append(match)
    with_cards(m for shown in result.values() for m in shown)
    return result


def listing_context(listing) -> dict:
    """The facts of a listing that explanations compare needs or listings against."""
    entry = kind_of(listing)
    return {"industries": listing.industries, "scenarios": listing.scenarios,
            "cities": sorted(entry.cities(listing)), "price": entry.price(listing)}


def listing_text(listing) -> str:
    """What a listing offers, as a query for the needs it answers or the listings like it."""
    return encoder_text("\n".join(p for p in kind_of(listing).text_parts(listing) if p))


def lead_needs(user: User) -> Select:
    """Select the ids of the needs a user may see as leads: live, not long stale, readable by the user."""
    from marketplace.needs.selectors import needs_for_leads, visible_to

    grace = int(current_app.config["NEED_STALE_GRACE_DAYS"])
    return visible_to(needs_for_leads(date.today(), grace), user).with_only_columns(Need.id)


def short_list_pool(k: int) -> int:
    """How many results a list that shows `k` (a listing's leads, its similar listings) ranks: a few times `k`, at
    least SHORT_LIST_POOL; the full MATCHING_CANDIDATES only where every result is shown (search, the inbox). The
    candidate lists are as long either way; what shrinks is the pool re-ranked and explained and the number of
    admitted results a filtered list must keep before the index is asked again within the filter."""
    return min(int(current_app.config["MATCHING_CANDIDATES"]), max(SHORT_LIST_POOL, 5 * k))


def leads_for_listing(listing, user: User, k: int = 8) -> list[Match]:
    """Return the live needs a listing answers (a vendor's leads), explained; long-stale needs are left out."""
    found = leads_for_listings([listing], lead_needs(user), short_list_pool(k))
    return found.get(doc_id(kind_of(listing).name, listing.id), [])[:k]


def leads_for_listings(listings, needs: Select, k: int) -> dict[str, list[Match]]:
    """Return {listing doc id: the best `k` needs it answers among the ids `needs` selects, explained, best first}.

    The search engine is asked once per listing, within the admitted needs only: a database index filters
    them in its own WHERE clause; the embedded index gets their ids, read in one query for all listings. The
    needs found are loaded in one query, so the cost is one index call per listing plus two queries.
    """
    listings = list(listings)
    if not listings or k <= 0:
        return {}
    index = engine().index()
    threshold = relevance.floor()
    where = index.backend.where_records({"need": needs})

    def ask(listing, allowed, n: int) -> list:
        source = doc_id(kind_of(listing).name, listing.id)
        if source in index:
            hits = index.similar(source, k=n, allowed=allowed, min_relevance=threshold)
        else:  # not indexed yet (an edit still being applied): its text stands for it
            scenario = listing.scenarios[0] if listing.scenarios else None
            hits = index.search(listing_text(listing), k=n, allowed=allowed, scenario=scenario,
                                min_relevance=threshold)
        return [h for h in hits if hit_relevance(h) >= threshold]

    found: dict[str, list] = {}
    if where is not None:
        # A database index: each listing asks among all needs for more than it shows, one query checks every
        # candidate against the select, and only a listing left with fewer than half asks again within the
        # admitted needs, filtered in the index's own WHERE clause (as `ranked` does; a select of ids is
        # costly there at scale).
        wide = min(3 * k, int(current_app.config["MATCHING_CANDIDATES"]))
        asked = {doc_id(kind_of(listing).name, listing.id): (listing, ask(listing, where.kinds_only(), wide))
                 for listing in listings}
        admitted = allowed_among({"need": needs}, [h for _, hits in asked.values() for h in hits])
        for source, (listing, hits) in asked.items():
            kept = [h for h in hits if h.doc_id in admitted]
            found[source] = kept if len(hits) < wide or len(kept) >= max(1, k // 2) else ask(listing, where, k)
    else:
        allowed = {doc_id("need", pk) for pk in db.session.scalars(needs)}
        if not allowed:
            return {}
        for listing in listings:
            found[doc_id(kind_of(listing).name, listing.id)] = ask(listing, allowed, k)
    records = load_records([h for hits in found.values() for h in hits])
    out: dict[str, list[Match]] = {}
    for listing in listings:
        source = doc_id(kind_of(listing).name, listing.id)
        out[source] = to_matches(found.get(source, []), listing_context(listing), records)[:k]
    with_cards(m for shown in out.values() for m in shown)
    return out


def similar_listings(listing, user: User, k: int = 5) -> list[Match]:
    """Return published listings of the same kind like this one (相似方案 / 相似模型), explained."""
    kind = kind_of(listing).name
    model = get_kind(kind).model
    stmt = get_kind(kind).findable({}, user).where(model.id != listing.id)
    scenario = listing.scenarios[0] if listing.scenarios else None
    return with_cards(ranked(listing_text(listing), {kind: stmt}, listing_context(listing), scenario=scenario,
                             source=doc_id(kind, listing.id), limit=short_list_pool(k), cards=False).matches[:k])


def pair_needs_with_offerings(needs: list[Need], offerings: list[Offering], user: User,
                              per_need: int = 3) -> list[tuple[Need, list[Match]]]:
    """Return, for each need, the best of the given offerings above the floor (an event's pairing table)."""
    ids = [o.id for o in offerings if o.is_published]
    out: list[tuple[Need, list[Match]]] = []
    for need in needs:
        if not ids:
            out.append((need, []))
            continue
        stmt = select(Offering.id).where(Offering.id.in_(ids))
        found = ranked(need_text(need), {"offering": stmt}, need_context(need), scenario=need.scenario,
                       source=doc_id("need", need.id), cards=False)
        out.append((need, with_cards(found.matches[:per_need])))
    return out


def best_solution_relevance(needs: list[Need], user: User) -> dict[int, float] | None:
    """Return {need id: relevance of its best published offering or model} for the given needs.

    Returns None while the index is not loaded yet, so a report never waits for a rebuild.
    """
    if not engine().ready:
        return None
    selects = {kind: get_kind(kind).findable({}, user) for kind in ("offering", "model")}
    out: dict[int, float] = {}
    for need in needs:
        best = ranked(need_text(need), selects, need_context(need), scenario=need.scenario,
                      source=doc_id("need", need.id), limit=20, cards=False).best
        if best is not None:
            out[need.id] = best
    return out
