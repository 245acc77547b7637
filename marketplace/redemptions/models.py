"""Catalogue entries (an offering in a region's 模型券 service catalogue) and redemptions (核销) of orders."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import Offering
from marketplace.extensions import Model
from marketplace.orders.models import Order
from marketplace.uploads.models import StoredFile


class EntryState(str, enum.Enum):
    """Where an offering stands in one region's catalogue; the moves are `redemptions/process.py`."""

    APPLIED = "applied"
    LISTED = "in_catalogue"
    REFUSED = "refused"
    REMOVED = "catalogue_removed"


class CatalogueEntry(Model):
    """An offering's application to, and place in, one region's 模型券 service catalogue (one row per pair)."""

    __tablename__ = "catalogue_entry"
    __table_args__ = (UniqueConstraint("offering_id", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(20), default=EntryState.APPLIED.value, index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(String(500))
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]

    offering: Mapped[Offering] = relationship(backref=backref("catalogue_entries", order_by="CatalogueEntry.region",
                                                              cascade="all, delete-orphan", passive_deletes=True))
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class RedemptionState(str, enum.Enum):
    """Where a redemption stands: with the center, returned to the vendor, or confirmed."""

    CLAIMED = "claimed"
    RETURNED = "returned"
    REDEEMED = "redeemed"


class Redemption(Model):
    """A vendor's redemption (核销) of one voucher-paid, delivered order: the three files, invoice and amounts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    region: Mapped[str] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(12), default=RedemptionState.CLAIMED.value, index=True)
    contract_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    invoice_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    acceptance_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    invoice_number: Mapped[str] = mapped_column(String(40))
    invoice_fen: Mapped[int] = mapped_column(BigInteger)
    difference_note: Mapped[str | None] = mapped_column(String(500))
    claimed_fen: Mapped[int] = mapped_column(BigInteger)
    submissions: Mapped[int] = mapped_column(default=1)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    return_reason: Mapped[str | None] = mapped_column(String(500))
    returned_at: Mapped[datetime | None]
    redeemed_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    order: Mapped[Order] = relationship()
    vendor: Mapped[Organisation] = relationship()
    contract_file: Mapped[StoredFile] = relationship(foreign_keys=[contract_file_id])
    invoice_file: Mapped[StoredFile] = relationship(foreign_keys=[invoice_file_id])
    acceptance_file: Mapped[StoredFile] = relationship(foreign_keys=[acceptance_file_id])
    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def file(self, kind: str) -> StoredFile:
        """Return one of the three files by kind: contract, invoice or acceptance."""
        return {"contract": self.contract_file, "invoice": self.invoice_file,
                "acceptance": self.acceptance_file}[kind]
