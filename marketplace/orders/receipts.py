"""Money actions confirmed with their figures, and the receipt of a payment.

Before a money action (recording an order's payment, accepting a proposal) the page shows what it moves,
from the same services that move it: the list amount, the 模型券 part, what the SME pays and, where an active
模数共振 agreement covers the offering, each party's share (`resonance.services.preview_revenue`, the split
`record_revenue` writes). Recording a payment asks for the amount received, which the order process holds to
the amount payable (`orders.process.amount_is_due`), and the payment reference; it writes a receipt in the
same transaction. The form's one-time key makes a repeated submit return the receipt already written instead
of a second payment or an error; the order's row lock (`marketplace.locks`) serialises simultaneous submits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import Organisation, User
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.orders.models import Order, PaymentReceipt, VoucherEntry
from marketplace.permissions import require
from marketplace.process import Firing
from marketplace.resonance.models import LedgerEntry
from marketplace.resonance.services import SharePreview, preview_revenue, split_base

REFERENCE_MAX = 64


@dataclass(frozen=True)
class MoneyFigures:
    """What a money action moves, in fen: the list amount, the 模型券 part, what the SME pays, and the revenue
    shares of a covering 模数共振 agreement (empty when none covers it)."""

    list_fen: int
    voucher_fen: int
    payable_fen: int
    shares: list[SharePreview] = field(default_factory=list)


def payment_figures(order: Order) -> MoneyFigures:
    """Return what recording an order's payment moves: its amounts and the split it would write now."""
    return MoneyFigures(order.list_fen, order.voucher_fen, order.payable_fen,
                        preview_revenue(order.offering_id, split_base(order)))


def recorded_figures(order: Order) -> MoneyFigures:
    """Return what an order's payment moved: its amounts and the revenue rows written (not a fresh preview, so
    a later amendment of the agreement never changes a receipt)."""
    rows = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == "revenue")
                              .order_by(LedgerEntry.party_id))
    shares = [SharePreview(db.session.get_one(Organisation, e.party_id), e.share_bp, e.amount_fen) for e in rows]
    return MoneyFigures(order.list_fen, order.voucher_fen, order.payable_fen, shares)


def acceptance_figures(proposal, enterprise: Organisation, year: int) -> MoneyFigures | None:
    """Return what accepting a proposal commits the SME to: its agreed price priced as an order would be
    (`orders.services.proposal_quote`), with the split of a single named offering's agreement; None without
    a price."""
    from marketplace.orders.services import proposal_quote

    if not proposal.price_fen:
        return None
    try:
        priced = proposal_quote(enterprise, proposal, year)
    except ValueError:
        return None
    offerings = list(proposal.offerings)
    shares = preview_revenue(offerings[0].id, priced.list_fen) if len(offerings) == 1 else []
    return MoneyFigures(priced.list_fen, priced.voucher_fen, priced.payable_fen, shares)


def clean_reference(reference: str | None) -> str:
    """Return the payment reference with its surrounding spaces removed, or refuse a missing or overlong one."""
    text = " ".join((reference or "").split())
    if not text:
        raise DomainError(_("Enter the payment reference (the bank transfer number)."), field="reference")
    if len(text) > REFERENCE_MAX:
        raise DomainError(_("The payment reference may be at most %(max)s characters.", max=REFERENCE_MAX),
                          field="reference")
    return text


def receipt_for(order_id: int) -> PaymentReceipt | None:
    """Return an order's payment receipt, if it was paid."""
    return db.session.scalar(select(PaymentReceipt).where(PaymentReceipt.order_id == order_id))


def issue_receipt(order: Order, user: User, firing: Firing) -> PaymentReceipt:
    """Write the receipt of an order's payment (the `pay` transition's effect): the amount received (the amount
    payable when the caller stated none), the reference when given, who recorded it and when."""
    amount = firing.values.get("amount_fen")
    reference = str(firing.values.get("reference") or "").strip()[:REFERENCE_MAX] or None
    receipt = PaymentReceipt(order_id=order.id, amount_fen=order.payable_fen if amount is None else amount,
                             reference=reference, recorded_by_id=getattr(user, "id", None), recorded_at=firing.when)
    db.session.add(receipt)
    return receipt


def record_payment(order_id: int, user: User, amount_fen: int, reference: str | None, idempotency_key: str,
                   when: datetime | None = None) -> tuple[PaymentReceipt, bool]:
    """Record that the vendor received an order's payment, with the amount and reference (the caller commits).

    The amount must be the amount payable (the order process refuses any other); a repeated submit of the same
    form (same one-time key) returns the receipt it wrote. Returns (receipt, created).
    """
    from marketplace.orders.process import ORDER
    from marketplace.orders.services import lock_order

    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise DomainError(_("The form expired. Please reload the page."))
    order = lock_order(order_id)
    require(user, "order.pay", order)
    existing = receipt_for(order.id)
    if existing is not None and existing.idempotency_key == key:
        return existing, False
    ref = clean_reference(reference)
    ORDER.fire(order_id, "pay", user, when, amount_fen=amount_fen, reference=ref)
    db.session.flush()
    receipt = receipt_for(order_id)
    if receipt is None:  # not reached: the pay transition's effect writes it
        raise RuntimeError(f"order {order_id} was paid without a receipt")
    receipt.idempotency_key = key
    return receipt, True


@dataclass(frozen=True)
class ReceiptLedger:
    """The ledger rows a payment wrote or later reversed: 模数共振 revenue rows and 模型券 rows of its order."""

    revenue: list[LedgerEntry]
    voucher: list[VoucherEntry]


def receipt_ledger(order_id: int) -> ReceiptLedger:
    """Return the ledger rows of an order, oldest first (their ids are quoted on the receipt)."""
    return ReceiptLedger(
        list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order_id).order_by(LedgerEntry.id))),
        list(db.session.scalars(select(VoucherEntry).where(VoucherEntry.order_id == order_id)
                                .order_by(VoucherEntry.id))))
