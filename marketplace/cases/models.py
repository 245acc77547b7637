"""Showcase cases (典型案例) curated by promotion centers, with measured results, and the decisions of
the quality provider directory (优质服务商目录)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, String, Text, event, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import Offering, ProviderProfile
from marketplace.extensions import Model
from marketplace.metrics import Better, direction_of
from marketplace.moderated import Moderated
from marketplace.needs.models import Need

if TYPE_CHECKING:
    from marketplace.cases.results import ResultChange


class CaseState(str, enum.Enum):
    """Curation state of a case: draft → published → featured."""

    DRAFT = "draft"
    PUBLISHED = "published"
    FEATURED = "featured"


class Case(Moderated, Model):
    """A curated showcase case: who solved what for whom, and what it measurably changed."""

    __table_args__ = (Index("ix_case_state_year", "state", "year", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    enterprise_name: Mapped[str] = mapped_column(String(120))
    anonymous: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Published without the enterprise's name: the public reads `shown_enterprise`, a description by city and
    industry, everywhere (pages, cards, the collection and its PDF, the API, search)."""
    industry: Mapped[str] = mapped_column(String(40), index=True)
    scenario: Mapped[str] = mapped_column(String(40), index=True)
    city: Mapped[str | None] = mapped_column(String(20))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    investment_fen: Mapped[int | None] = mapped_column(BigInteger)
    year: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default=CaseState.DRAFT.value, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    center: Mapped[Organisation] = relationship(foreign_keys=[center_id])
    vendor: Mapped[Organisation | None] = relationship(foreign_keys=[vendor_id])
    offering: Mapped[Offering | None] = relationship()
    need: Mapped[Need | None] = relationship()
    results: Mapped[list[CaseResult]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseResult.id")

    @property
    def is_public(self) -> bool:
        """Tell whether visitors can read the case (`cases.selectors.is_public`)."""
        from marketplace.cases.selectors import is_public

        return is_public(self)

    @property
    def shown_enterprise(self) -> str:
        """The enterprise as the public reads it: its name, or for an anonymised case 深圳某电子信息企业."""
        if not self.anonymous:
            return self.enterprise_name
        from marketplace.templating import term_label

        return str(_("%(city)s %(industry)s enterprise (not named)", city=term_label(self.city, "city")
                     if self.city else _("Guangdong"), industry=term_label(self.industry, "industry")))

    @property
    def scenarios(self) -> list[str]:
        """Return the case's scenario as a list, like listings have."""
        return [self.scenario]

    @property
    def industries(self) -> list[str]:
        """Return the case's industry as a list, like listings have."""
        return [self.industry]


class CaseResult(Model):
    """One measured result of a case: an indicator before and after, with its unit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(60))
    before: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    after: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(20))
    better: Mapped[str | None] = mapped_column(String(6))

    case: Mapped[Case] = relationship(back_populates="results")

    @property
    def direction(self) -> Better | None:
        """Return which way the indicator improves: as the curator chose, else as its name says (`metrics`)."""
        if self.better in (Better.LOWER.value, Better.HIGHER.value):
            return Better(self.better)
        return direction_of(self.indicator)

    @property
    def improvement_percent(self) -> Decimal | None:
        """Return the relative improvement in percent (positive = better), or None without a direction."""
        change = self.change_percent
        direction = self.direction
        if change is None or direction is None:
            return None
        return -change if direction is Better.LOWER else change

    @property
    def change_percent(self) -> Decimal | None:
        """Return the relative change from before to after in percent (negative = reduced)."""
        if not self.before:
            return None
        return ((Decimal(self.after) - Decimal(self.before)) / Decimal(self.before) * 100).quantize(Decimal("0.1"))

    @property
    def change(self) -> ResultChange:
        """Return the change as every page, card, the PDF and the API show it (`cases.results.change_of`)."""
        from marketplace.cases.results import change_of

        return change_of(self)


class DirectoryStatus(str, enum.Enum):
    """Whether a provider is in the quality provider directory."""

    LISTED = "listed"
    UNLISTED = "unlisted"


class DirectoryDecision(Model):
    """One decision of a promotion center about the quality provider directory; rows are never changed.

    `ProviderProfile.quality_listed` mirrors the latest decision for that provider.
    """

    __tablename__ = "directory_decision"
    __table_args__ = (
        CheckConstraint("action IN ('add', 'renew', 'remove')", name="action"),
        CheckConstraint("action = 'remove' OR review_on IS NOT NULL", name="review_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider_profile.id"), index=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    provider: Mapped[ProviderProfile] = relationship()
    center: Mapped[Organisation] = relationship()
    decided_by: Mapped[User | None] = relationship()


@event.listens_for(DirectoryDecision, "before_update")
def _decisions_are_append_only(mapper, connection, target) -> None:
    """Refuse to rewrite a directory decision: history is appended, never edited."""
    raise ValueError("directory decisions are append-only")


@event.listens_for(DirectoryDecision, "before_delete")
def _decisions_are_never_deleted(mapper, connection, target) -> None:
    """Refuse to delete a directory decision: history is appended, never edited."""
    raise ValueError("directory decisions are append-only")
