"""Showcase cases (典型案例) curated by promotion centers, with measured results."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, utcnow
from marketplace.catalog.models import Offering
from marketplace.extensions import db


class CaseState(str, enum.Enum):
    """Curation state of a case: draft → published → featured."""

    DRAFT = "draft"
    PUBLISHED = "published"
    FEATURED = "featured"


class Case(db.Model):
    """A curated showcase case: who solved what for whom, and what it measurably changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    enterprise_name: Mapped[str] = mapped_column(String(120))
    industry: Mapped[str] = mapped_column(String(40), index=True)
    scenario: Mapped[str] = mapped_column(String(40), index=True)
    city: Mapped[str | None] = mapped_column(String(20))
    problem: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    investment_fen: Mapped[int | None]
    year: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default=CaseState.DRAFT.value, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    center: Mapped[Organisation] = relationship(foreign_keys=[center_id])
    vendor: Mapped[Organisation | None] = relationship(foreign_keys=[vendor_id])
    offering: Mapped[Offering | None] = relationship()
    results: Mapped[list["CaseResult"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseResult.id")

    @property
    def is_public(self) -> bool:
        """Tell whether visitors can read the case."""
        return self.state in (CaseState.PUBLISHED.value, CaseState.FEATURED.value)

    @property
    def scenarios(self) -> list[str]:
        """Return the case's scenario as a list, like listings have."""
        return [self.scenario]

    @property
    def industries(self) -> list[str]:
        """Return the case's industry as a list, like listings have."""
        return [self.industry]


class CaseResult(db.Model):
    """One measured result of a case: an indicator before and after, with its unit."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(String(60))
    before: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    after: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(20))

    case: Mapped[Case] = relationship(back_populates="results")

    @property
    def change_percent(self) -> Decimal | None:
        """Return the relative change from before to after in percent (negative = reduced)."""
        if not self.before:
            return None
        return ((Decimal(self.after) - Decimal(self.before)) / Decimal(self.before) * 100).quantize(Decimal("0.1"))
