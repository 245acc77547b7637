"""SME scenario needs (场景需求) and their statuses (the process is `needs/process.py`)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, utcnow
from marketplace.extensions import Model
from marketplace.moderated import Moderated


class NeedStatus(str, enum.Enum):
    """Where a need stands: open → in talks → contracted → closed."""

    OPEN = "open"
    IN_TALKS = "in_talks"
    CONTRACTED = "contracted"
    CLOSED = "closed"


class Visibility(str, enum.Enum):
    """Who may read a need."""

    PUBLIC = "public"
    REGISTERED = "registered"


VISIBILITY_LABELS = {Visibility.PUBLIC.value: _l("Everyone"), Visibility.REGISTERED.value: _l("Registered users only")}


class Need(Moderated, Model):
    """A scenario need posted by an SME: the problem, the data it has, budget, deadline and constraints."""

    __table_args__ = (Index("ix_need_status_created_at", "status", "created_at", "id"),
                      Index("ix_need_created_at_id", "created_at", "id"),  # live needs newest first
                      Index("ix_need_updated_at", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    industry: Mapped[str] = mapped_column(String(40), index=True)
    scenario: Mapped[str] = mapped_column(String(40), index=True)
    pain_points: Mapped[str | None] = mapped_column(Text)
    data_available: Mapped[str | None] = mapped_column(Text)
    budget_min_fen: Mapped[int | None] = mapped_column(BigInteger)
    budget_max_fen: Mapped[int | None] = mapped_column(BigInteger)
    deadline: Mapped[date | None]
    deployment: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(20), index=True)
    visibility: Mapped[str] = mapped_column(String(12), default=Visibility.PUBLIC.value)
    status: Mapped[str] = mapped_column(String(12), default=NeedStatus.OPEN.value, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def scenarios(self) -> list[str]:
        """Return the need's scenario as a list, like listings have."""
        return [self.scenario]

    @property
    def industries(self) -> list[str]:
        """Return the need's industry as a list, like listings have."""
        return [self.industry]
