"""The quality provider directory (优质服务商目录): promotion centers' decisions and the evidence beside them.

Decisions are moves of the directory process (`marketplace.cases.process.DIRECTORY`): each is appended to
`directory_decision` and never changed; `ProviderProfile.quality_listed` mirrors the latest one, so
listings and search show the badge without reading the history.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.cases.models import DirectoryDecision
from marketplace.cases.process import DIRECTORY
from marketplace.cases.services import published_case_counts
from marketplace.catalog.models import ProviderProfile
from marketplace.catalog.selectors import published
from marketplace.extensions import db

DECISION_LABELS = {"add": _l("Added"), "renew": _l("Renewed"), "remove": _l("Removed")}
"""How a recorded decision reads in the history, by its action."""


@dataclass
class DirectoryEntry:
    """A listed provider with the decision that listed it and the evidence a reader can check."""

    profile: ProviderProfile
    decision: DirectoryDecision | None
    published_cases: int
    completed_orders: int
    average_rating: float | None

    @property
    def review_due(self) -> bool:
        """Tell whether the review date has passed."""
        return bool(self.decision and self.decision.review_on and self.decision.review_on < date.today())


def decide(profile: ProviderProfile, action: str, reason: str, user: User, review_on: date | None = None,
           today: date | None = None) -> DirectoryDecision:
    """Add, renew or remove a provider in the directory with a reason; the caller commits.

    A move of the directory process: only promotion centers decide, adding and renewing need a published
    profile and a review date in the future, and a move the process does not allow (adding a listed
    provider) raises IllegalTransition.
    """
    when = datetime.combine(today, time(12), UTC) if today else None
    values = {"reason": (reason or "").strip(), "review_on": review_on}
    if today is not None:
        values["today"] = today
    DIRECTORY.fire(profile.id, action, user, when=when, **values)
    return latest_decisions([profile.id])[profile.id]


def latest_decisions(provider_ids=None) -> dict[int, DirectoryDecision]:
    """Return {provider id: its latest decision}, for all providers or the given ones."""
    stmt = select(DirectoryDecision).order_by(DirectoryDecision.created_at, DirectoryDecision.id)
    if provider_ids is not None:
        stmt = stmt.where(DirectoryDecision.provider_id.in_(list(provider_ids)))
    return {d.provider_id: d for d in db.session.scalars(stmt)}


def decision_history(profile: ProviderProfile) -> list[DirectoryDecision]:
    """Return every decision about one provider, newest first."""
    return list(db.session.scalars(select(DirectoryDecision).where(DirectoryDecision.provider_id == profile.id)
                                   .order_by(DirectoryDecision.created_at.desc(), DirectoryDecision.id.desc())))


def completed_orders_by_vendor(vendor_ids) -> dict[int, int]:
    """Return {vendor organisation id: orders delivered (fulfilled)}; 0 for vendors without any."""
    from sqlalchemy import func

    from marketplace.orders.models import Order, OrderState

    ids = list(vendor_ids)
    counts = dict(db.session.execute(select(Order.vendor_id, func.count()).where(
        Order.vendor_id.in_(ids), Order.state == OrderState.FULFILLED.value).group_by(Order.vendor_id)).all())
    return {vendor_id: int(counts.get(vendor_id, 0)) for vendor_id in ids}


def average_rating_by_vendor(vendor_ids) -> dict[int, float]:
    """Return {vendor organisation id: average rating of its shown reviews}; vendors without reviews are left out."""
    from marketplace.reviews.services import vendor_averages

    return {vendor_id: avg for vendor_id, (avg, _count) in vendor_averages(vendor_ids).items()}


def directory_entries() -> list[DirectoryEntry]:
    """Return the listed, published providers with their latest decision and evidence, by name."""
    profiles = list(db.session.scalars(published(ProviderProfile).where(ProviderProfile.quality_listed.is_(True))))
    decisions = latest_decisions(p.id for p in profiles)
    vendor_ids = [p.organisation_id for p in profiles]
    cases = published_case_counts(vendor_ids)
    orders = completed_orders_by_vendor(vendor_ids)
    ratings = average_rating_by_vendor(vendor_ids)
    entries = [DirectoryEntry(profile=p, decision=decisions.get(p.id), published_cases=cases.get(p.organisation_id, 0),
                              completed_orders=orders.get(p.organisation_id, 0),
                              average_rating=ratings.get(p.organisation_id))
               for p in profiles]
    return sorted(entries, key=lambda e: e.profile.organisation.name)


def listable_providers() -> list[ProviderProfile]:
    """Return the published providers not yet in the directory (candidates for adding)."""
    return list(db.session.scalars(published(ProviderProfile).where(ProviderProfile.quality_listed.is_(False))
                                   .order_by(ProviderProfile.id)))
