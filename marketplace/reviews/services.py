"""Review services: reviewing a deal (once), replies, moderation, the averages shown and what a reviews block shows.

Who may do each is `reviews/permissions.py`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from marketplace.accounts.models import User
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.notifications.services import notify, path_for
from marketplace.orders.models import Order, OrderState
from marketplace.permissions import can, require
from marketplace.proposals.models import Proposal, ProposalState
from marketplace.reviews.models import Review, ReviewModeration


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def review_subject(source: str, source_id: int, user: User) -> dict:
    """Return what a review of a deal is about, or refuse if the user may not review it (yet, or again).

    Only the SME of a contracted proposal or of a delivered (fulfilled) order may review, once.
    """
    deal: Proposal | Order | None = None
    if source == "proposal":
        deal = db.session.get(Proposal, source_id)
    elif source == "order":
        deal = db.session.get(Order, source_id)
    if deal is None:
        raise PermissionDenied()
    require(user, "review.write", deal)
    if isinstance(deal, Proposal):
        if deal.state != ProposalState.CONTRACTED.value:
            raise DomainError(_("You can review a provider once the contract is confirmed by both sides."))
        subject = {"proposal_id": deal.id, "vendor_id": deal.vendor_id,
                   "offering_id": deal.offerings[0].id if deal.offerings else None, "title": deal.need.title}
    else:
        if deal.state != OrderState.FULFILLED.value:
            raise DomainError(_("You can review an order once it has been delivered."))
        subject = {"order_id": deal.id, "vendor_id": deal.vendor_id, "offering_id": deal.offering_id,
                   "title": deal.title}
    if is_reviewed(source, source_id):
        raise DomainError(_("This transaction has already been reviewed."))
    return subject


def is_reviewed(source: str, source_id: int) -> bool:
    """Tell whether a proposal or an order already has its review."""
    column = Review.proposal_id if source == "proposal" else Review.order_id
    return bool(db.session.scalar(select(func.count()).select_from(Review).where(column == source_id)))


def write_review(source: str, source_id: int, user: User, rating: int, text: str) -> Review:
    """Save the SME's review of a transaction (1–5 and text); the vendor is told."""
    subject = review_subject(source, source_id, user)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Choose a rating from 1 to 5."), "rating")
    if not (text or "").strip():
        raise DomainError(_("Say a few words about the work."), "text")
    review = Review(reviewer_id=user.organisation_id, author_id=user.id, vendor_id=subject["vendor_id"],
                    offering_id=subject["offering_id"], proposal_id=subject.get("proposal_id"),
                    order_id=subject.get("order_id"), rating=rating, text=text.strip())
    db.session.add(review)
    db.session.flush()
    from marketplace.moderation.services import screen_edit

    screen_edit(review)
    notify([review.vendor_id], "review_received", {"rating": rating}, profile_link(review.vendor_id),
           f"review:{review.id}:new", actor=user)
    return review


def profile_link(vendor_id: int) -> str:
    """Return the vendor's provider page, or the provider list when it has no profile."""
    from marketplace.catalog.models import ProviderProfile

    profile = db.session.scalar(select(ProviderProfile).where(ProviderProfile.organisation_id == vendor_id))
    return path_for("catalog.provider_detail", listing_id=profile.id) if profile else path_for("catalog.providers")


def reply_to_review(review: Review, user: User, text: str, when: datetime | None = None) -> Review:
    """Add the vendor's one reply to a review of it."""
    if review.reply is not None:
        raise DomainError(_("You have already replied to this review."), "text")
    require(user, "review.reply", review)
    if not (text or "").strip():
        raise DomainError(_("Write your reply."), "text")
    review.reply, review.replied_at = text.strip(), when or now()
    notify([review.reviewer_id], "review_reply", {}, profile_link(review.vendor_id), f"review:{review.id}:reply",
           actor=user)
    return review


def moderate_review(review: Review, user: User, action: str, reason: str) -> ReviewModeration:
    """Hide (or show again) a review, as a promotion center or an admin, with a reason kept in the history (audited)."""
    require(user, "review.moderate", review)
    if action not in ("hide", "show"):
        raise DomainError(_("Unknown action."))
    if (action == "hide") == review.hidden:
        raise DomainError(_("This review is already hidden.") if review.hidden else _("This review is already shown."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for the decision."), "reason")
    decision = ReviewModeration(review=review, center_id=user.organisation_id, decided_by_id=user.id, action=action,
                                reason=reason.strip()[:500])
    db.session.add(decision)
    review.hidden = action == "hide"
    db.session.flush()
    from marketplace.moderation.services import note_decision

    note_decision(review, user, "hide" if review.hidden else "restore", decision.reason)
    record_audit("review.hidden" if review.hidden else "review.shown", actor=user, target=review,
                 detail={"reason": decision.reason})
    notify([review.reviewer_id, review.vendor_id], "review_hidden" if review.hidden else "review_shown",
           {"reason": decision.reason, "rating": review.rating}, profile_link(review.vendor_id),
           f"review:{review.id}:moderation:{decision.id}", actor=user)
    return decision


def visible_reviews(vendor_id: int | None = None, offering_id: int | None = None,
                    include_hidden: bool = False, author_org_id: int | None = None) -> list[Review]:
    """Return the reviews of a vendor or an offering, newest first; hidden ones only when asked, or those the
    given organisation wrote (their author sees them marked hidden, with the reason)."""
    stmt = select(Review)
    if vendor_id is not None:
        stmt = stmt.where(Review.vendor_id == vendor_id)
    if offering_id is not None:
        stmt = stmt.where(Review.offering_id == offering_id)
    if not include_hidden:
        stmt = stmt.where(or_(Review.hidden.is_(False), Review.reviewer_id == author_org_id)
                          if author_org_id is not None else Review.hidden.is_(False))
    return list(db.session.scalars(stmt.order_by(Review.created_at.desc(), Review.id.desc())))


def average_by(column, ids) -> dict[int, tuple[float, int]]:
    """Return {id: (average rating, count)} of shown reviews grouped by a column."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(select(column, func.avg(Review.rating), func.count()).where(
        column.in_(ids), Review.hidden.is_(False)).group_by(column)).all()
    return {key: (round(float(avg), 1), int(count)) for key, avg, count in rows}


def vendor_averages(vendor_ids) -> dict[int, tuple[float, int]]:
    """Return {vendor id: (average rating, count)} for vendors with shown reviews."""
    return average_by(Review.vendor_id, vendor_ids)


def offering_averages(offering_ids) -> dict[int, tuple[float, int]]:
    """Return {offering id: (average rating, count)} for offerings with shown reviews."""
    return average_by(Review.offering_id, offering_ids)


@dataclass
class ReviewPanel:
    """What a reviews block shows one user: the average, the reviews, and which forms to offer."""

    summary: tuple[float, int] | None
    items: list
    of_vendor: bool
    may_moderate: bool
    replyable: set[int]


def review_panel(user: User, vendor_id: int | None = None, offering_id: int | None = None) -> ReviewPanel:
    """Return a vendor's (or an offering's) reviews block for this user in three queries: hidden reviews only for
    moderators; reply and moderation forms only on the vendor's block."""
    may_moderate = can(user, "review.moderate")
    items = visible_reviews(vendor_id=vendor_id, offering_id=offering_id, include_hidden=may_moderate,
                            author_org_id=getattr(user, "organisation_id", None))
    summary = (offering_averages([offering_id]).get(offering_id) if offering_id is not None
               else vendor_averages([vendor_id]).get(vendor_id) if vendor_id is not None else None)
    replyable = {r.id for r in items if offering_id is None and can(user, "review.reply", r)}
    return ReviewPanel(summary, items, offering_id is None, may_moderate and offering_id is None, replyable)
