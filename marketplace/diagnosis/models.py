"""Digital-level self-assessments, diagnosis visits and follow-ups: the enterprise file (建档立卡).

An assessment is append-only: a new one never edits an old one, so an enterprise's history of levels stays
as it was answered. A promotion center records a diagnosis visit with the level it found and then confirms
that level (`diagnosis.process`); the confirmed level is the one rules read (`diagnosis.level`). A follow-up
is an item the center agreed with the enterprise, with a due date, open until the center marks it done.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.extensions import Model


class VisitState(str, enum.Enum):
    """Where a diagnosis visit stands (see `diagnosis.process`)."""

    AWAITING = "awaiting_confirmation"
    CONFIRMED = "level_confirmed"


class FollowUpState(str, enum.Enum):
    """Whether a follow-up item is still to do."""

    OPEN = "open"
    DONE = "done"


class Assessment(Model):
    """One self-assessment of an enterprise: the answers, the score per dimension and in total, the level."""

    __tablename__ = "digital_assessment"
    __table_args__ = (CheckConstraint("level BETWEEN 0 AND 4", name="level"),
                      CheckConstraint("total_tenths BETWEEN 0 AND 1000", name="total_tenths"),
                      Index("ix_digital_assessment_org_taken", "organisation_id", "taken_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    taken_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    indicator_version: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict] = mapped_column(JSON)
    dimension_scores: Mapped[dict] = mapped_column(JSON)
    total_tenths: Mapped[int]
    level: Mapped[int]

    organisation: Mapped[Organisation] = relationship()
    taken_by: Mapped[User] = relationship()

    @property
    def total(self) -> float:
        """The total score in points."""
        return self.total_tenths / 10


class DiagnosisVisit(Model):
    """A promotion center's diagnosis visit to an enterprise: when, what it found, the level it confirms."""

    __tablename__ = "diagnosis_visit"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level"),
                      Index("ix_diagnosis_visit_org_state", "organisation_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("digital_assessment.id"))
    visited_on: Mapped[date]
    findings: Mapped[str] = mapped_column(Text)
    level: Mapped[int]
    state: Mapped[str] = mapped_column(String(24), default=VisitState.AWAITING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    center: Mapped[Organisation] = relationship(foreign_keys=[center_id])
    recorded_by: Mapped[User] = relationship()
    assessment: Mapped[Assessment | None] = relationship()


class FollowUp(Model):
    """A follow-up item of an enterprise's file: what, by when, and whether the center has marked it done."""

    __tablename__ = "diagnosis_follow_up"
    __table_args__ = (CheckConstraint("length(title) > 0", name="title"),
                      Index("ix_diagnosis_follow_up_org_state", "organisation_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("diagnosis_visit.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(10), default=FollowUpState.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    center: Mapped[Organisation] = relationship(foreign_keys=[center_id])
