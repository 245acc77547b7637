"""The expert pool (专家人才库): experts kept by promotion centers, and SMEs' requests to them.

An expert is not a user of the site: the promotion center that keeps the expert answers requests for them
(accepts and schedules, or declines) and records that a visit took place. An expert's telephone and e-mail are
shown to an SME only once a request of that SME has been accepted (`experts.permissions`).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.db_types import CodeList
from marketplace.extensions import Model
from marketplace.moderated import Moderated


class Availability(str, enum.Enum):
    """Whether an expert takes new requests."""

    AVAILABLE = "available"
    LIMITED = "limited"
    UNAVAILABLE = "unavailable"


class RequestKind(str, enum.Enum):
    """What an SME asks an expert for."""

    DIAGNOSIS = "diagnosis"
    CONSULTATION = "consultation"


class RequestState(str, enum.Enum):
    """Where a request to an expert stands (see `experts.process`)."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class Expert(Moderated, Model):
    """One expert of a promotion center's pool: who, what they know, where they go, whether they take requests."""

    __table_args__ = (Index("ix_expert_active_updated_at", "active", "updated_at"),
                      *(Index(f"ix_expert_{name}", name, postgresql_using="gin").ddl_if(dialect="postgresql")
                        for name in ("industries", "scenarios", "cities")))

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[str] = mapped_column(String(80))
    employer: Mapped[str] = mapped_column(String(120))
    fields: Mapped[str] = mapped_column(String(300))
    bio: Mapped[str | None] = mapped_column(Text)
    industries: Mapped[list[str]] = mapped_column(CodeList, default=list)
    scenarios: Mapped[list[str]] = mapped_column(CodeList, default=list)
    cities: Mapped[list[str]] = mapped_column(CodeList, default=list)
    availability: Mapped[str] = mapped_column(String(12), default=Availability.AVAILABLE.value)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    center: Mapped[Organisation] = relationship()

    @property
    def title(self) -> str:
        """What the expert is listed as wherever records have a title (search, moderation): the name."""
        return self.name

    @property
    def takes_requests(self) -> bool:
        """Tell whether the expert accepts new requests now."""
        return self.active and self.availability != Availability.UNAVAILABLE.value


class ExpertRequest(Model):
    """An SME's request to an expert: a diagnosis or a consultation on a topic, and how the center answered it."""

    __tablename__ = "expert_request"
    __table_args__ = (
        CheckConstraint("length(topic) > 0", name="topic"),
        Index("ix_expert_request_expert_state", "expert_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"))
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=RequestState.REQUESTED.value, index=True)
    scheduled_for: Mapped[datetime | None]
    place: Mapped[str | None] = mapped_column(String(200))
    answer: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    expert: Mapped[Expert] = relationship()
    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[User] = relationship()
