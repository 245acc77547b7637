"""Model-supermarket orders with their coded lines, and the per-enterprise 模型券 voucher ledger."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.catalog.models import Offering
from marketplace.extensions import Model


class OrderState(str, enum.Enum):
    """Where an order stands; the moves between states are `orders/process.py`."""

    PLACED = "placed"
    PAID = "paid"
    FULFILLED = "fulfilled"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


class Order(Model):
    """An SME's order of a published offering, or of a contracted proposal (at most one order per proposal):
    quantity, exact amounts in fen, state and timestamps."""

    __table_args__ = (UniqueConstraint("buyer_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    offering_id: Mapped[int | None] = mapped_column(ForeignKey("offering.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), unique=True)
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(120))
    pricing_plan: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    list_fen: Mapped[int] = mapped_column(BigInteger)
    voucher_fen: Mapped[int] = mapped_column(BigInteger)
    payable_fen: Mapped[int] = mapped_column(BigInteger)
    voucher_year: Mapped[int]
    policy_region: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default=OrderState.PLACED.value, index=True)
    refund_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_id])
    vendor: Mapped[Organisation] = relationship(foreign_keys=[vendor_id])
    offering: Mapped[Offering | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="OrderLine.id")


class OrderLine(Model):
    """One coded line of an order (item, model_voucher); the lines sum to the amount payable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def label(self) -> str:
        """What the line is, in the reader's language: the item, or the 模型券 deduction."""
        from flask_babel import gettext as _

        return _("模型券 deduction") if self.code == "model_voucher" else self.description


class VoucherKind(str, enum.Enum):
    """What a 模型券 ledger row records: the order's deduction reserved, committed, released or redeemed."""

    RESERVE = "reserve"
    COMMIT = "commit"
    RELEASE = "release"
    REDEEM = "redeem"


SIGN = {VoucherKind.RESERVE.value: -1, VoucherKind.COMMIT.value: 0, VoucherKind.RELEASE.value: 1,
        VoucherKind.REDEEM.value: 0}
"""Each kind's effect on the available balance: a reservation takes the amount away, a release gives it
back; committing (the order was paid) and redeeming (the center confirmed the 核销) only change what the
reserved amount is called."""


class VoucherEntry(Model):
    """An append-only row of an enterprise's yearly 模型券 ledger: one order's deduction reserved (placed),
    committed (paid), released (cancelled or refunded) or redeemed (核销 confirmed) — at most one of each."""

    __tablename__ = "voucher_entry"
    __table_args__ = (UniqueConstraint("order_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    region: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order | None] = relationship()

    @property
    def kind_label(self) -> str:
        """What the row is, in the reader's language: never "used" for an amount that is only reserved."""
        from flask_babel import gettext as _

        if self.kind == VoucherKind.RESERVE.value:
            return _("Reserved (order placed, not yet paid)")
        if self.kind == VoucherKind.COMMIT.value:
            return _("Committed (order paid)")
        if self.kind == VoucherKind.REDEEM.value:
            return _("Redeemed (核销 confirmed by the center)")
        if self.order is not None and self.order.state == OrderState.REFUNDED.value:
            return _("Released (order refunded)")
        return _("Released (order cancelled)")

    @property
    def signed_fen(self) -> int:
        """The row's effect on the available balance: −amount reserved, +amount released, 0 otherwise."""
        return SIGN[self.kind] * self.amount_fen


class PaymentReceipt(Model):
    """The receipt of one order's payment, written when the vendor records it: the amount received, the
    payment reference (bank transfer number) and who recorded it when. An order is paid once, so it has at
    most one receipt; the one-time key of the form that recorded it makes a repeated submit return it."""

    __tablename__ = "payment_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), unique=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship()
    recorded_by: Mapped[User | None] = relationship()
