"""The order process: placed → paid → fulfilled | refunded; placed → cancelled — who moves it and what follows.

| transition | from | to | actor | effects |
|---|---|---|---|---|
| pay | placed | paid | vendor, confirming the amount received (exactly the amount payable: no partial payment) and the payment reference | split revenue by the agreement in force; commit the 模型券; write the payment receipt |
| fulfil | paid | fulfilled | vendor | — |
| refund | paid, fulfilled | refunded | vendor, with a reason | reverse the split, release the 模型券 |
| cancel | placed | cancelled | buyer | release the 模型券 |

Every move notifies the other side and is audited (`marketplace.process`).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.money import format_fen
from marketplace.notifications.events import order_changed
from marketplace.orders.models import OrderState
from marketplace.process import Ask, Firing, Process, Transition

PLACED, PAID, FULFILLED = OrderState.PLACED.value, OrderState.PAID.value, OrderState.FULFILLED.value
REFUNDED, CANCELLED = OrderState.REFUNDED.value, OrderState.CANCELLED.value


def amount_is_due(order, user, firing: Firing) -> None:
    """Refuse a payment whose stated amount is not the amount payable: an order is paid in full, once."""
    amount = firing.values.get("amount_fen")
    if amount is not None and amount != order.payable_fen:
        raise DomainError(_("The amount received must be the amount payable, %(due)s: this order is paid in "
                            "full, in one payment.", due=format_fen(order.payable_fen)), field="amount")


def issue_receipt_effect(order, user, firing: Firing) -> None:
    """Write the payment's receipt: amount received, reference, who recorded it and when."""
    from marketplace.orders.receipts import issue_receipt

    issue_receipt(order, user, firing)


def split_revenue_effect(order, user, firing: Firing) -> None:
    """Split the paid amount among the parties of the agreement covering the offering, if any."""
    from marketplace.resonance.services import record_revenue

    record_revenue(order)


def commit_voucher_effect(order, user, firing: Firing) -> None:
    """Mark the order's reserved 模型券 amount as committed: the order is paid."""
    from marketplace.orders.services import commit_voucher

    commit_voucher(order, firing.when)


def reverse_revenue_effect(order, user, firing: Firing) -> None:
    """Post reversing ledger rows for a refund, never editing the originals."""
    from marketplace.resonance.services import reverse_revenue

    order.refund_reason = str(firing.values["reason"]).strip()[:500]
    reverse_revenue(order, firing.when)


def release_voucher_effect(order, user, firing: Firing) -> None:
    """Give the order's 模型券 amount back to the enterprise's yearly cap."""
    from marketplace.orders.services import release_voucher

    release_voucher(order, firing.when)


def load_locked(order_id: int):
    """Lock and load an order (see `marketplace.locks`)."""
    from marketplace.orders.services import lock_order

    return lock_order(order_id)


ORDER = Process("order", [
    Transition("pay", frozenset({PLACED}), PAID, "order.pay", _l("Record payment received"), stamp="paid_at",
               guards=(amount_is_due,), effects=(split_revenue_effect, commit_voucher_effect, issue_receipt_effect),
               confirm="orders.pay", done=_l("This order's payment is recorded already; here is its receipt.")),
    Transition("fulfil", frozenset({PAID}), FULFILLED, "order.fulfil", _l("Mark as delivered"),
               stamp="fulfilled_at"),
    Transition("refund", frozenset({PAID, FULFILLED}), REFUNDED, "order.refund", _l("Refund"),
               stamp="refunded_at", effects=(reverse_revenue_effect, release_voucher_effect), style="secondary",
               asks=(Ask("reason", _l("Reason for the refund"), _l("Give a reason for the refund.")),)),
    Transition("cancel", frozenset({PLACED}), CANCELLED, "order.cancel", _l("Cancel order"), stamp="cancelled_at",
               effects=(release_voucher_effect,), style="secondary"),
], load_locked=load_locked, emit=order_changed)
