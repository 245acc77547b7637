"""Proposals for scenario needs, their states (the process is `proposals/process.py`), and the message thread
between the two organisations."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import Offering
from marketplace.extensions import Model, db
from marketplace.moderated import Moderated
from marketplace.needs.models import Need

proposal_offering = Table(
    "proposal_offering",
    db.metadata,
    Column("proposal_id", ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True),
    Column("offering_id", ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
)


class ProposalState(str, enum.Enum):
    """Where a proposal stands: invited → submitted → shortlisted → accepted → contracted, or it ends early."""

    INVITED = "invited"
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    CONTRACTED = "contracted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


S = ProposalState
LIVE_STATES = (S.INVITED.value, S.SUBMITTED.value, S.SHORTLISTED.value, S.ACCEPTED.value)
SHARED_STATES = (S.ACCEPTED.value, S.CONTRACTED.value)
"""States in which the SME has accepted the vendor: its name and contact show to that vendor."""


class Proposal(Model):
    """A vendor's proposal for one need (or the SME's invitation to make one, with its message): offerings, price,
    plan, message."""

    __table_args__ = (UniqueConstraint("need_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), index=True)
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    plan: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    invitation_message: Mapped[str | None] = mapped_column(Text)
    sme_confirmed_at: Mapped[datetime | None]
    vendor_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    need: Mapped[Need] = relationship()
    vendor: Mapped[Organisation] = relationship()
    offerings: Mapped[list[Offering]] = relationship(secondary=proposal_offering, order_by="Offering.id")
    messages: Mapped[list[Message]] = relationship(back_populates="proposal", order_by="Message.id",
                                                     cascade="all, delete-orphan")

    @property
    def invited_at(self):
        """When the SME invited the vendor (None for a proposal sent without an invitation)."""
        return self.created_at if self.invited_by_id is not None else None

    @property
    def sme_id(self) -> int:
        """The organisation that posted the need."""
        return self.need.organisation_id

    def other_side(self, org_id: int) -> int:
        """The organisation across the thread from `org_id`: the SME for the vendor, the vendor for anyone else."""
        return self.sme_id if org_id == self.vendor_id else self.vendor_id


class Message(Moderated, Model):
    """One message in a proposal's thread; plain text, no attachments.

    `recipient_org_id` is the other side of the thread, kept so the navigation counts a user's unread messages
    from this table alone (`proposals.services.unread_messages`).
    """

    __table_args__ = (Index("ix_message_recipient_org_id_read_at", "recipient_org_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    sender_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    recipient_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    sender_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="messages")
    sender: Mapped[User] = relationship()
