"""Order services: quote, place (idempotently), pay, fulfil, refund, cancel; the 模型券 voucher ledger.

The 模型券 deduction comes from the enterprise's approved quota only (`marketplace.vouchers.services.
voucher_standing`): it is reserved when an order is placed, committed when it is paid and released when it
is cancelled or refunded, so the available balance is always what the enterprise may still deduct. The
enterprise's row is locked (`marketplace.locks`, on PostgreSQL and SQLite alike) before the used amount is
read, so concurrent orders cannot overdraw the quota; an order's row is locked before its state is read, so
two actions on one order (pay and cancel at the same instant) run one after the other and the second is
refused.

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
from marketplace.orders.models import Order, OrderLine, OrderState, VoucherEntry, VoucherKind
from marketplace.orders.process import ORDER
from marketplace.permissions import require
from marketplace.policy.rules import region_for

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
    region: str | None
    voucher_used_fen: int
    voucher_cap_fen: int | None
    no_voucher_reason: str | None = None

    @property
    def voucher_remaining_fen(self) -> int | None:
        """The approved quota left after this order."""
        if self.voucher_cap_fen is None:
            return None
        return max(self.voucher_cap_fen - self.voucher_used_fen - self.voucher_fen, 0)


def voucher_used(enterprise_id: int, year: int) -> int:
    """Return the 模型券 amount orders hold in a year: reserved plus committed (Σ reserve − Σ release)."""
    rows = db.session.execute(select(VoucherEntry.kind, *exact_sum(VoucherEntry.amount_fen))
                              .where(VoucherEntry.enterprise_id == enterprise_id, VoucherEntry.year == year)
                              .group_by(VoucherEntry.kind)).all()
    totals = {kind: combine_sum(high, low) for kind, high, low in rows}
    return totals.get(VoucherKind.RESERVE.value, 0) - totals.get(VoucherKind.RELEASE.value, 0)


def voucher_summary(enterprise: Organisation, year: int):
    """Return the enterprise's 模型券 standing for a year (`marketplace.vouchers.services.voucher_standing`)."""
    from marketplace.vouchers.services import voucher_standing

    return voucher_standing(enterprise, year)


def offering_voucher_eligible(enterprise: Organisation, offering: Offering, year: int) -> bool:
    """Tell whether an offering's price may be paid partly with the enterprise's 模型券: it is in the 模型券
    service catalogue of the enterprise's region (none for a city without rules) and its vendor may offer
    vouchers (`marketplace/redemptions/catalogue.py`)."""
    from marketplace.redemptions.catalogue import is_voucher_eligible

    return is_voucher_eligible(offering, region_for(enterprise.city, year))


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
    """Price an order: list amount, voucher deduction (eligible offerings only, from the approved quota), payable."""
    return price(enterprise, offering.price_fen, quantity, offering_voucher_eligible(enterprise, offering, year), year)


def price(enterprise: Organisation, unit_price_fen: int, quantity: int, eligible: bool, year: int) -> Quote:
    """Price any order (an offering or a contracted proposal) by the same 模型券 rules."""
    from marketplace.diagnosis.level import rule_level
    from marketplace.vouchers.services import deduction_for, voucher_standing

    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValueError(_("Quantity must be between 1 and %(max)s.", max=MAX_QUANTITY))
    list_fen = unit_price_fen * quantity
    if list_fen > MAX_AMOUNT_FEN:
        raise ValueError(_("An order may be at most %(max)s. Order a smaller quantity.",
                           max=format_fen(MAX_AMOUNT_FEN)))
    standing = voucher_standing(enterprise, year)
    deduction = deduction_for(standing, list_fen, rule_level(enterprise)) if eligible else 0
    reason = None if eligible else "not_eligible"
    return Quote(unit_price_fen, quantity, list_fen, deduction, list_fen - deduction, year, standing.region,
                 standing.position.used_fen, standing.quota_fen if standing.reason is None else None,
                 reason or standing.reason)


def place_order(user: User, offering: Offering, quantity: int, idempotency_key: str,
                seen: QuoteSeen | None = None, when: datetime | None = None) -> tuple[Order, bool]:
    """Place an order for the user's SME (the caller commits); a repeated key returns the first order.

    The enterprise's row is locked before anything is read, so the voucher quota holds under concurrent
    orders; with `seen`, the order is refused (QuoteChanged) unless the price and amount payable are still
    what the SME confirmed. Returns (order, created).
    """
    require(user, "order.place", offering)
    enterprise = user.organisation
    key = clean_key(idempotency_key)
    lock_row(Organisation, enterprise.id)
    existing = order_with_key(enterprise.id, key)
    if existing is not None:
        return existing, False
    db.session.refresh(offering)
    if not offering.is_published:
        raise ValueError(_("This offering is not on sale."))
    when = when or now()
    priced = quote(enterprise, offering, quantity, when.year)
    order = Order(buyer=enterprise, vendor_id=offering.organisation_id, offering=offering, title=offering.title,
                  pricing_plan=offering.pricing_plan)
    return record_order(user, order, priced, f"{offering.title} × {quantity}", key, seen, when), True


def clean_key(idempotency_key: str) -> str:
    """Return the order form's one-time key, or refuse an expired form."""
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValueError(_("The order form expired. Please reload the page."))
    return key


def order_with_key(enterprise_id: int, key: str) -> Order | None:
    """Return the enterprise's order placed with this one-time key, if any."""
    return db.session.scalar(select(Order).where(Order.buyer_id == enterprise_id, Order.idempotency_key == key))


def record_order(user: User, order: Order, priced: Quote, item: str, key: str, seen: QuoteSeen | None,
                 when: datetime) -> Order:
    """Fill a new order from its quote, reserve its 模型券 deduction and audit it (the enterprise's row is locked)."""
    if seen is not None and (seen.unit_price_fen, seen.payable_fen) != (priced.unit_price_fen, priced.payable_fen):
        raise QuoteChanged(seen, priced)
    order.placed_by_id, order.idempotency_key = user.id, key
    order.quantity, order.unit_price_fen, order.list_fen = priced.quantity, priced.unit_price_fen, priced.list_fen
    order.voucher_fen, order.payable_fen, order.voucher_year = priced.voucher_fen, priced.payable_fen, priced.year
    order.policy_region = priced.region or order.buyer.city
    order.state, order.created_at = OrderState.PLACED.value, when
    order.lines.append(OrderLine(code="item", description=item[:200], amount_fen=priced.list_fen))
    if priced.voucher_fen:
        order.lines.append(OrderLine(code="model_voucher", description="模型券抵扣", amount_fen=-priced.voucher_fen))
        db.session.add(VoucherEntry(enterprise_id=order.buyer.id, year=priced.year, region=order.policy_region,
                                    kind=VoucherKind.RESERVE.value, amount_fen=priced.voucher_fen, order=order,
                                    created_at=when))
    db.session.add(order)
    db.session.flush()
    record_audit("order.placed", user, order, {"list_fen": order.list_fen, "voucher_fen": order.voucher_fen,
                                               "payable_fen": order.payable_fen})
    from marketplace.webhooks.events import order_placed

    order_placed(order)
    return order


def order_from_proposal(user: User, proposal_id: int, idempotency_key: str, seen: QuoteSeen | None = None,
                        when: datetime | None = None) -> tuple[Order, bool]:
    """Turn a contracted proposal into an order at its agreed price (the caller commits): same voucher rules,
    same one-time key as any order; a proposal becomes at most one order. Returns (order, created).

    The order is for the offerings the proposal names (with one offering it is that offering's order, so a
    模数共振 agreement covering it splits the revenue); the deduction applies only when every named offering
    is 模型券-eligible; a proposal naming none is an order for its agreed amount under the need's title.
    """
    from marketplace.proposals.models import Proposal, ProposalState

    proposal = db.get_or_404(Proposal, proposal_id)
    require(user, "order.from_proposal", proposal)
    enterprise = user.organisation
    key = clean_key(idempotency_key)
    lock_row(Organisation, enterprise.id)
    existing = db.session.scalar(select(Order).where(Order.proposal_id == proposal.id))
    if existing is not None:
        return existing, False
    if proposal.state != ProposalState.CONTRACTED.value:
        raise ValueError(_("Only a contracted proposal can become an order."))
    if not proposal.price_fen:
        raise ValueError(_("The proposal has no agreed price."))
    when = when or now()
    priced = proposal_quote(enterprise, proposal, when.year)
    offerings = list(proposal.offerings)
    title = proposal.need.title
    item = _("Contracted proposal: %(need)s", need=title)
    if offerings:
        item += " — " + "、".join(o.title for o in offerings)
    order = Order(buyer=enterprise, vendor_id=proposal.vendor_id, proposal_id=proposal.id,
                  offering=offerings[0] if len(offerings) == 1 else None,
                  title=(offerings[0].title if len(offerings) == 1 else title)[:120],
                  pricing_plan=offerings[0].pricing_plan if len(offerings) == 1 else "one_off")
    return record_order(user, order, priced, item, key, seen, when), True


def proposal_quote(enterprise: Organisation, proposal, year: int) -> Quote:
    """Price a contracted proposal: its agreed amount, with the 模型券 only if every named offering is eligible."""
    offerings = list(proposal.offerings)
    eligible = bool(offerings) and all(offering_voucher_eligible(enterprise, o, year) for o in offerings)
    return price(enterprise, proposal.price_fen or 0, 1, eligible, year)


def proposal_order(proposal_id: int) -> Order | None:
    """Return the order a proposal became, if any."""
    return db.session.scalar(select(Order).where(Order.proposal_id == proposal_id))


def lock_order(order_id: int) -> Order:
    """Load an order with its row locked for this transaction, fresh from the database."""
    return load_locked(Order, order_id)


def release_voucher(order: Order, when: datetime) -> None:
    """Give an order's voucher amount back to the enterprise's quota (a `release` row)."""
    if order.voucher_fen:
        db.session.add(VoucherEntry(enterprise_id=order.buyer_id, year=order.voucher_year, region=order.policy_region,
                                    kind=VoucherKind.RELEASE.value, amount_fen=order.voucher_fen, order_id=order.id,
                                    created_at=when))


def commit_voucher(order: Order, when: datetime) -> None:
    """Mark a paid order's reserved voucher amount as committed (a `commit` row; the balance does not change)."""
    if order.voucher_fen:
        db.session.add(VoucherEntry(enterprise_id=order.buyer_id, year=order.voucher_year, region=order.policy_region,
                                    kind=VoucherKind.COMMIT.value, amount_fen=order.voucher_fen, order_id=order.id,
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
