"""Matchmaking events (供需对接活动): the event, who registered what, and the meetings scheduled there.

A meeting takes one table in one time slot and pairs a registered need with a registered offering.
The database refuses double bookings too: one meeting per table and slot, and per organisation and
slot, whatever the service layer checked before.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, utcnow
from marketplace.catalog.models import Offering
from marketplace.db_types import CodeList
from marketplace.extensions import Model
from marketplace.needs.models import Need


class Event(Model):
    """A 供需对接 event: when and where, which industries and scenarios it focuses on, how big it is."""

    __tablename__ = "matchmaking_event"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("table_count > 0 AND slot_count > 0 AND slot_minutes > 0", name="grid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time]
    city: Mapped[str] = mapped_column(String(20))
    venue: Mapped[str | None] = mapped_column(String(200))
    industries: Mapped[list[str]] = mapped_column(CodeList, default=list)
    scenarios: Mapped[list[str]] = mapped_column(CodeList, default=list)
    capacity: Mapped[int]
    table_count: Mapped[int] = mapped_column(default=6)
    slot_count: Mapped[int] = mapped_column(default=6)
    slot_minutes: Mapped[int] = mapped_column(default=20)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    center: Mapped[Organisation] = relationship()
    registrations: Mapped[list[EventRegistration]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventRegistration.id")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="[Meeting.slot, Meeting.table_no]")

    def slot_time(self, slot: int) -> time:
        """Return the start time of a slot (0-based)."""
        start = datetime.combine(self.held_on, self.starts_at) + timedelta(minutes=self.slot_minutes * slot)
        return start.time()

    @property
    def slots(self) -> list[tuple[int, time]]:
        """Return (slot number, start time) for every slot of the day."""
        return [(i, self.slot_time(i)) for i in range(self.slot_count)]


class EventRegistration(Model):
    """A need (from an SME) or an offering (from a vendor) registered to an event."""

    __tablename__ = "event_registration"
    __table_args__ = (
        UniqueConstraint("event_id", "need_id", name="uq_event_registration_need"),
        UniqueConstraint("event_id", "offering_id", name="uq_event_registration_offering"),
        CheckConstraint("(need_id IS NULL) <> (offering_id IS NULL)", name="one_listing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"))
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    organisation: Mapped[Organisation] = relationship()
    need: Mapped[Need | None] = relationship()
    offering: Mapped[Offering | None] = relationship()

    @property
    def listing(self):
        """Return what was registered: the need or the offering."""
        return self.need if self.need_id is not None else self.offering

    @property
    def title(self) -> str:
        """Return the title of what was registered."""
        return self.listing.title


class Meeting(Model):
    """One scheduled conversation at an event: a need and an offering at a table in a slot, and its outcome."""

    __tablename__ = "event_meeting"
    __table_args__ = (
        UniqueConstraint("event_id", "slot", "table_no", name="uq_event_meeting_table_slot"),
        UniqueConstraint("event_id", "slot", "enterprise_id", name="uq_event_meeting_enterprise_slot"),
        UniqueConstraint("event_id", "slot", "vendor_id", name="uq_event_meeting_vendor_slot"),
        UniqueConstraint("event_id", "need_registration_id", "offering_registration_id",
                         name="uq_event_meeting_pair"),
        CheckConstraint("slot >= 0 AND table_no >= 1", name="place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_event.id", ondelete="CASCADE"), index=True)
    need_registration_id: Mapped[int] = mapped_column(ForeignKey("event_registration.id", ondelete="CASCADE"))
    offering_registration_id: Mapped[int] = mapped_column(ForeignKey("event_registration.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    slot: Mapped[int]
    table_no: Mapped[int]
    held: Mapped[bool | None]
    follow_up: Mapped[bool] = mapped_column(default=False)
    deal: Mapped[bool] = mapped_column(default=False)
    outcome_note: Mapped[str | None] = mapped_column(String(500))
    outcome_recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="meetings")
    need_registration: Mapped[EventRegistration] = relationship(foreign_keys=[need_registration_id])
    offering_registration: Mapped[EventRegistration] = relationship(foreign_keys=[offering_registration_id])
    enterprise: Mapped[Organisation] = relationship(foreign_keys=[enterprise_id])
    vendor: Mapped[Organisation] = relationship(foreign_keys=[vendor_id])

    @property
    def starts_at(self) -> time:
        """Return the start time of the meeting's slot."""
        return self.event.slot_time(self.slot)

    @property
    def stage(self) -> str:
        """Return where the meeting is in its process: scheduled, or recorded once its outcome is."""
        from marketplace.events.process import RECORDED, SCHEDULED

        return SCHEDULED if self.held is None else RECORDED

    @property
    def outcome(self) -> str:
        """Return the outcome as one code: pending, no_show, held, follow_up or deal."""
        if self.held is None:
            return "pending"
        if not self.held:
            return "no_show"
        if self.deal:
            return "deal"
        return "follow_up" if self.follow_up else "held"
