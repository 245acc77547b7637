"""The leads inbox: every live need a vendor's published listings answer, one row per need, and what was seen.

The ranking is the matching module's (`matching.services.leads_for_listings`): the search engine is asked once
per listing for its best needs (top-k), within the needs the filters admit, and the answers are merged here by
need, each lead keeping every listing that matches it with its calibrated relevance and label. The cost is
bounded: at most LEADS_LISTINGS_MAX listings (the most recently updated) and LEADS_PER_LISTING needs each, and
the database is read in a fixed number of queries whatever the number of needs.

Seen marks belong to the vendor organisation, per need (`LeadSeen`): whoever of its users marks a lead seen
marks it for the whole organisation, and another vendor's marks are its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.kinds import kind_of, listing_kinds
from marketplace.leads.models import LeadSeen
from marketplace.matching.documents import doc_id
from marketplace.matching.relevance import Label
from marketplace.matching.services import Match, lead_needs, leads_for_listings
from marketplace.needs.models import Need
from marketplace.permissions import require
from marketplace.proposals.models import Proposal, ProposalState

MARK_MAX = 200
"""The most needs one request marks seen (a page holds far fewer)."""


@dataclass
class LeadMatch:
    """One of the vendor's listings that answers a need, and how (the matching module's explained match)."""

    listing: object
    match: Match

    @property
    def kind(self) -> str:
        """The listing's kind (offering, model, provider)."""
        return kind_of(self.listing).name


@dataclass
class Lead:
    """One need the vendor's listings answer: each matching listing with its relevance (best first), whether the
    organisation has seen it, and the vendor's invitation or proposal for it, if any."""

    need: Need
    matches: list[LeadMatch]
    seen: bool = False
    invitation: Proposal | None = None
    proposal: Proposal | None = None
    offering_ids: list[int] = field(default_factory=list)

    @property
    def best(self) -> Match:
        """The explained match of the best matching listing (its relevance, label and reasons)."""
        return self.matches[0].match

    @property
    def relevance(self) -> float:
        """The relevance of the best matching listing (what the inbox ranks by)."""
        return self.best.relevance

    @property
    def label(self) -> Label:
        """The calibrated relevance label of the best matching listing."""
        return self.best.label

    @property
    def may_propose(self) -> bool:
        """Tell whether the vendor can still send a proposal (none yet, or an invitation waits for one)."""
        return self.proposal is None


def listing_key(listing) -> str:
    """The key a listing goes by in the inbox's filter (its search document id, e.g. "offering:12")."""
    return doc_id(kind_of(listing).name, listing.id)


def own_listings(organisation_id: int) -> list:
    """Return the organisation's published listings of every kind, most recently updated first, at most
    LEADS_LISTINGS_MAX (one query per kind)."""
    limit = int(current_app.config["LEADS_LISTINGS_MAX"])
    listings: list = []
    for kind in listing_kinds():
        model = kind.model
        listings += db.session.scalars(kind.indexed().where(model.organisation_id == organisation_id)
                                       .order_by(model.updated_at.desc(), model.id.desc()).limit(limit)
                                       .options(*kind.loads()))
    listings.sort(key=lambda listing: listing.updated_at, reverse=True)
    return listings[:limit]


def listing_choices(listings) -> list[tuple[str, str]]:
    """Return (key, title) of each listing, for the inbox's listing filter."""
    return [(listing_key(listing), listing.title) for listing in listings]


def need_filter(user: User, filters: dict) -> Select:
    """Select the ids of the needs the user may see as leads, narrowed by the industry, scenario and city filters."""
    stmt = lead_needs(user)
    for name, column in (("industry", Need.industry), ("scenario", Need.scenario), ("city", Need.city)):
        if filters.get(name):
            stmt = stmt.where(column == filters[name])
    return stmt


def merge_leads(found: dict[str, list[Match]], listings: dict[str, object]) -> list[Lead]:
    """Merge each listing's ranked needs ({listing key: matches}) into one lead per need, its listings best first;
    the leads best first (equal relevance: the newer need first)."""
    by_need: dict[int, Lead] = {}
    for key, matches in found.items():
        for match in matches:
            pair = LeadMatch(listings[key], match)
            lead = by_need.get(match.record.id)
            if lead is None:
                by_need[match.record.id] = Lead(need=match.record, matches=[pair])  # type: ignore[arg-type]
            else:
                lead.matches.append(pair)
    leads = list(by_need.values())
    for lead in leads:
        lead.matches.sort(key=lambda pair: -pair.match.relevance)
    return sort_leads(leads, "relevance")


def sort_leads(leads: list[Lead], order: str) -> list[Lead]:
    """Order leads by relevance (best first) or by recency (newest need first); ties go to the newer need."""
    def newest(lead: Lead):
        return (lead.need.created_at, lead.need.id)

    leads = sorted(leads, key=newest, reverse=True)
    if order == "relevance":
        leads.sort(key=lambda lead: -lead.relevance)  # stable: equal relevance keeps newest first
    return leads


def seen_need_ids(organisation_id: int, need_ids) -> set[int]:
    """Return which of the needs the organisation has marked seen (one query)."""
    need_ids = list(need_ids)
    if not need_ids:
        return set()
    return set(db.session.scalars(select(LeadSeen.need_id).where(LeadSeen.organisation_id == organisation_id,
                                                                 LeadSeen.need_id.in_(need_ids))))


def vendor_proposals(organisation_id: int, need_ids) -> dict[int, Proposal]:
    """Return the vendor's invitation or proposal for each of the needs that has one (one query)."""
    need_ids = list(need_ids)
    if not need_ids:
        return {}
    return {p.need_id: p for p in db.session.scalars(select(Proposal).where(Proposal.vendor_id == organisation_id,
                                                                            Proposal.need_id.in_(need_ids)))}


def leads_inbox(user: User, filters: dict) -> list[Lead]:
    """Return the vendor's leads as the filters ask (listing, industry, scenario, city, unseen), in their order."""
    require(user, "lead.list")
    org_id = user.organisation_id
    listings = own_listings(org_id)
    if filters.get("listing"):
        listings = [listing for listing in listings if listing_key(listing) == filters["listing"]]
    found = leads_for_listings(listings, need_filter(user, filters), int(current_app.config["LEADS_PER_LISTING"]))
    leads = merge_leads(found, {listing_key(listing): listing for listing in listings})
    ids = [lead.need.id for lead in leads]
    seen, proposals = seen_need_ids(org_id, ids), vendor_proposals(org_id, ids)
    for lead in leads:
        lead.seen = lead.need.id in seen
        mine = proposals.get(lead.need.id)
        if mine is not None and mine.state == ProposalState.INVITED.value:
            lead.invitation = mine
        else:
            lead.proposal = mine
    if filters.get("unseen"):
        leads = [lead for lead in leads if not lead.seen]
    return sort_leads(leads, filters.get("sort") or "relevance")


def unseen_count(user: User) -> int | None:
    """Count the vendor's leads nobody in its organisation has marked seen (None while this process has no search
    index loaded yet: a dashboard or the navigation never waits for one to load or build)."""
    from marketplace.matching.engine import IndexNotReady
    from marketplace.matching.services import engine

    if not engine().ready:
        return None
    try:
        return len(leads_inbox(user, {"unseen": True}))
    except IndexNotReady:
        return None


def prefill_offerings(leads: list[Lead], organisation_id: int) -> None:
    """Set, on each lead, the offerings its proposal form starts with: the matching offerings themselves, and
    the vendor's published offerings built on a matching model (one query, for a page of leads)."""
    from marketplace.catalog.selectors import published

    model_ids = {pair.listing.id for lead in leads for pair in lead.matches  # type: ignore[attr-defined]
                 if pair.kind == "model"}
    built_on: dict[int, list[int]] = {}
    if model_ids:
        for offering in db.session.scalars(published(Offering).where(Offering.organisation_id == organisation_id)
                                           .options(selectinload(Offering.models)).order_by(Offering.id)):
            for model in offering.models:
                if model.id in model_ids:
                    built_on.setdefault(model.id, []).append(offering.id)
    for lead in leads:
        ids: list[int] = []
        for pair in lead.matches:
            listing_id = pair.listing.id  # type: ignore[attr-defined]
            more = {"offering": [listing_id], "model": built_on.get(listing_id, [])}.get(pair.kind, [])
            ids += [i for i in more if i not in ids]
        lead.offering_ids = ids


def mark_seen(user: User, need_ids) -> int:
    """Mark needs seen for the user's organisation (at most MARK_MAX; unknown or already seen ones are skipped);
    return how many were newly marked. The caller commits."""
    require(user, "lead.list")
    wanted = sorted({int(i) for i in need_ids or [] if int(i) > 0})[:MARK_MAX]
    if not wanted:
        return 0
    existing = set(db.session.scalars(select(Need.id).where(Need.id.in_(wanted))))
    new = existing - seen_need_ids(user.organisation_id, existing)
    db.session.add_all(LeadSeen(organisation_id=user.organisation_id, need_id=need_id) for need_id in sorted(new))
    return len(new)
