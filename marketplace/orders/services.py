"""Order services: quote, place (idempotently), pay, fulfil, refund, cancel; the 模型券 voucher ledger.

Voucher use is reserved when an order is placed and released when it is cancelled or refunded, so the
enterprise's remaining annual cap is always what it may still claim. The enterprise's row is locked
(`marketplace.locks`, on PostgreSQL and SQLite alike) before the used amount is read, so concurrent orders
cannot overdraw the cap; an order's row is locked before its state is read, so two actions on one order
(pay and cancel at the same instant) run one after the other and the second is refused.

An order is bound to the quote the SME confirmed: if the price or the amount payable changed since, the
order is refused with the new figures and nothing is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.locks import load_locked, lock_row
from marketplace.money import MAX_AMOUNT_FEN, combine_sum, exact_sum, format_fen
from marketplace.orders.models import Order, OrderLine, OrderState, VoucherEntry
from marketplace.orders.process import ORDER
from marketplace.permissions import require
from marketplace.policy.calculators import voucher_deduction
from marketplace.policy.rules import instrument, region_for
from marketplace.redemptions.catalogue import is_voucher_eligible

MAX_QUANTITY = 10_000


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Quote:
    """What an order would cost: list amount, 模型券 deduction and amount payable, all in fen."""

    unit_price_fen: int
    quantity: int
    list_fen: int
    voucher_fen: int
    payable_fen: int
    year: int
    region: str
    voucher_used_fen: int
    voucher_cap_fen: int | None

    @property
    def voucher_remaining_fen(self) -> int | None:
        """The annual cap left after this order."""
        if self.voucher_cap_fen is None:
            return None
        return max(self.voucher_cap_fen - self.voucher_used_fen - self.voucher_fen, 0)


def voucher_used(enterprise_id: int, year: int) -> int:
    """Return the 模型券 amount an enterprise has used in a year (uses minus releases)."""
    rows = db.session.execute(select(VoucherEntry.kind, *exact_sum(VoucherEntry.amount_fen))
                              .where(VoucherEntry.enterprise_id == enterprise_id, VoucherEntry.year == year)
                              .group_by(VoucherEntry.kind)).all()
    totals = {kind: combine_sum(high, low) for kind, high, low in rows}
    return totals.get("use", 0) - totals.get("release", 0)


def voucher_summary(enterprise: Organisation, year: int) -> dict:
    """Return the yearly voucher position: cap, used, remaining, and the rule in force."""
    rule = instrument("model_voucher", enterprise.city, year)
    used = voucher_used(enterprise.id, year)
    cap = rule.annual_cap_fen if rule else None
    return {"year": year, "rule": rule, "cap_fen": cap, "used_fen": used,
            "remaining_fen": max(cap - used, 0) if cap is not None else None}


class QuoteChanged(ValueError):
    """Raised when the price or amount payable differs from the quote the SME confirmed."""

    def __init__(self, seen: QuoteSeen, now_quoted: Quote):
        """Say what the SME saw and what the order would cost now."""
        self.now_quoted = now_quoted
        super().__init__(_("The quote changed since you opened it: the amount payable is now %(now)s "
                           "(list price %(list)s) instead of %(seen)s. Check the new quote and confirm again.",
                           now=format_fen(now_quoted.payable_fen), list=format_fen(now_quoted.list_fen),
                           seen=format_fen(seen.payable_fen)))


@dataclass(frozen=True)
class QuoteSeen:
    """The figures the SME confirmed: unit price and amount payable, in fen."""

    unit_price_fen: int
    payable_fen: int


def quote(enterprise: Organisation, offering: Offering, quantity: int, year: int) -> Quote:
    """Price an order: list amount, voucher deduction (offerings in the buyer's region's 模型券 catalogue only,
    within the annual cap), payable."""
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValueError(_("Quantity must be between 1 and %(max)s.", max=MAX_QUANTITY))
    list_fen = offering.price_fen * quantity
    if list_fen > MAX_AMOUNT_FEN:
        raise ValueError(_("An order may be at most %(max)s. Order a smaller quantity.",
                           max=format_fen(MAX_AMOUNT_FEN)))
    rule = instrument("model_voucher", enterprise.city, year)
    used = voucher_used(enterprise.id, year)
    region = region_for(enterprise.city, year)
    deduction = (voucher_deduction(list_fen, used, rule, enterprise.digital_level)
                 if is_voucher_eligible(offering, region) else 0)
    return Quote(offering.price_fen, quantity, list_fen, deduction, list_fen - deduction, year,
                 region, used, rule.annual_cap_fen if rule else None)


def place_order(user: User, offering: Offering, quantity: int, idempotency_key: str,
                seen: QuoteSeen | None = None, when: datetime | None = None) -> tuple[Order, bool]:
    """Place an order for the user's SME (the caller commits); a repeated key returns the first order.

    The enterprise's row is locked before anything is read, so the voucher cap holds under concurrent
    orders; with `seen`, the order is refused (QuoteChanged) unless the price and amount payable are still
    what the SME confirmed. Returns (order, created).
    """
    require(user, "order.place", offering)
    enterprise = user.organisation
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValueError(_("The order form expired. Please reload the page."))
    lock_row(Organisation, enterprise.id)
    existing = db.session.scalar(select(Order).where(Order.buyer_id == enterprise.id,
                                                     Order.idempotency_key == key))
    if existing is not None:
        return existing, False
    db.session.refresh(offering)
    if not offering.is_published:
        raise ValueError(_("This offering is not on sale."))
    when = when or now()
    priced = quote(enterprise, offering, quantity, when.year)
    if seen is not None and (seen.unit_price_fen, seen.payable_fen) != (priced.unit_price_fen, priced.payable_fen):
        raise QuoteChanged(seen, priced)
    order = Order(buyer=enterprise, vendor_id=offering.organisation_id, offering=offering, placed_by_id=user.id,
                  idempotency_key=key, title=offering.title, pricing_plan=offering.pricing_plan,
                  quantity=quantity, unit_price_fen=priced.unit_price_fen, list_fen=priced.list_fen,
                  voucher_fen=priced.voucher_fen, payable_fen=priced.payable_fen, voucher_year=priced.year,
                  policy_region=priced.region, state=OrderState.PLACED.value, created_at=when)
    order.lines.append(OrderLine(code="item", description=f"{offering.title} × {quantity}", amount_fen=priced.list_fen))
    if priced.voucher_fen:
        order.lines.append(OrderLine(code="model_voucher", description="模型券抵扣", amount_fen=-priced.voucher_fen))
        db.session.add(VoucherEntry(enterprise_id=enterprise.id, year=priced.year, region=priced.region,
                                    kind="use", amount_fen=priced.voucher_fen, order=order, created_at=when))
    db.session.add(order)
    db.session.flush()
    record_audit("order.placed", user, order, {"list_fen": order.list_fen, "voucher_fen": order.voucher_fen,
                                               "payable_fen": order.payable_fen})
    return order, True


def lock_order(order_id: int) -> Order:
    """Load an order with its row locked for this transaction, fresh from the database."""
    return load_locked(Order, order_id)


def release_voucher(order: Order, when: datetime) -> None:
    """Give an order's voucher amount back to the enterprise's yearly cap."""
    if order.voucher_fen:
        db.session.add(VoucherEntry(enterprise_id=order.buyer_id, year=order.voucher_year, region=order.policy_region,
                                    kind="release", amount_fen=order.voucher_fen, order_id=order.id,
                                    created_at=when))


def mark_paid(order_id: int, user: User, when: datetime | None = None) -> Order:
    """Record that the vendor received payment; split the revenue if an agreement covers the offering."""
    return ORDER.fire(order_id, "pay", user, when)


def mark_fulfilled(order_id: int, user: User, when: datetime | None = None) -> Order:
    """Record that the vendor delivered the order."""
    return ORDER.fire(order_id, "fulfil", user, when)


def refund(order_id: int, user: User, reason: str, when: datetime | None = None) -> Order:
    """Refund a paid order (vendor, with a reason): reverse the revenue split and release the voucher."""
    return ORDER.fire(order_id, "refund", user, when, reason=reason)


def cancel(order_id: int, user: User, when: datetime | None = None) -> Order:
    """Cancel a placed, unpaid order (the SME that placed it); the voucher amount is released."""
    return ORDER.fire(order_id, "cancel", user, when)


def orders_for(org: Organisation, year: int | None = None) -> Select:
    """Select an organisation's orders, as buyer or vendor, newest first, with both parties loaded."""
    column = Order.buyer_id if org.is_enterprise else Order.vendor_id
    stmt = select(Order).where(column == org.id)
    if year is not None:
        stmt = stmt.where(Order.voucher_year == year)
    return (stmt.options(selectinload(Order.buyer), selectinload(Order.vendor))
            .order_by(Order.created_at.desc(), Order.id.desc()))


def voucher_ledger(enterprise_id: int, year: int) -> list[VoucherEntry]:
    """Return an enterprise's voucher ledger rows for a year, oldest first."""
    return list(db.session.scalars(select(VoucherEntry).where(VoucherEntry.enterprise_id == enterprise_id,
                                                              VoucherEntry.year == year)
                                   .order_by(VoucherEntry.created_at, VoucherEntry.id)))
