"""Reviews of vendors and offerings, one per transaction, and the moderation history kept beside them."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import Offering
from marketplace.extensions import Model
from marketplace.moderated import ModerationState


class Review(Model):
    """An SME's rating (1–5) and words about a vendor (and offering), after a contracted proposal or a delivered
    order."""

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), unique=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), unique=True)
    rating: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None]
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer: Mapped[Organisation] = relationship(foreign_keys=[reviewer_id])
    vendor: Mapped[Organisation] = relationship(foreign_keys=[vendor_id])
    offering: Mapped[Offering | None] = relationship()
    moderations: Mapped[list[ReviewModeration]] = relationship(back_populates="review",
                                                                 order_by="ReviewModeration.id")

    @property
    def moderation(self) -> str:
        """Return the review's moderation state as every reportable record has it (`marketplace.moderated`)."""
        return ModerationState.HIDDEN.value if self.hidden else ModerationState.VISIBLE.value

    @moderation.setter
    def moderation(self, state: str) -> None:
        """Hide or show the review (the moderation process sets this); a review is never held."""
        self.hidden = state != ModerationState.VISIBLE.value

    @property
    def is_shown(self) -> bool:
        """Tell whether everyone may read the review."""
        return not self.hidden


class ReviewModeration(Model):
    """A promotion center's decision to hide or show a review again, with its reason; never changed."""

    __tablename__ = "review_moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[Review] = relationship(back_populates="moderations")
    center: Mapped[Organisation] = relationship()
    decided_by: Mapped[User] = relationship()

    @property
    def label(self) -> str:
        """Return the decision in words ("hidden", "shown again")."""
        return str(MODERATION_LABELS.get(self.action, self.action))


MODERATION_LABELS = {"hide": _l("hidden"), "show": _l("shown again")}
