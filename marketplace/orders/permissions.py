"""Who may see, buy, and move orders and the 模型券 ledger: the order rules of `marketplace.permissions`."""
from __future__ import annotations

from marketplace.permissions import acts_as, member_of, oversees, rule, signed_in


@rule("order.place")
def may_place(user, offering=None) -> bool:
    """SMEs buy; admins and other organisations do not."""
    return acts_as(user, "enterprise")


@rule("order.view")
def may_view(user, order) -> bool:
    """The buyer, the vendor, promotion centers and admins may see an order."""
    return oversees(user) or member_of(user, order.buyer_id) or member_of(user, order.vendor_id)


@rule("order.pay")
def may_record_payment(user, order) -> bool:
    """The vendor records that it was paid (there is no payment gateway)."""
    return member_of(user, order.vendor_id)


@rule("order.fulfil")
def may_fulfil(user, order) -> bool:
    """The vendor records the delivery."""
    return member_of(user, order.vendor_id)


@rule("order.refund")
def may_refund(user, order) -> bool:
    """The vendor refunds, with a reason."""
    return member_of(user, order.vendor_id)


@rule("order.cancel")
def may_cancel(user, order) -> bool:
    """The SME that placed the order may cancel it while unpaid."""
    return member_of(user, order.buyer_id)


@rule("order.review")
def may_review(user, order) -> bool:
    """The buyer reviews the vendor once the order is delivered, once."""
    from marketplace.orders.models import OrderState
    from marketplace.reviews.services import is_reviewed

    return (member_of(user, order.buyer_id) and order.state == OrderState.FULFILLED.value
            and not is_reviewed("order", order.id))


@rule("voucher.view")
def may_view_vouchers(user, record=None) -> bool:
    """SMEs follow their own 模型券 ledger."""
    return acts_as(user, "enterprise")


@rule("order.receipt")
def may_see_receipt(user, order) -> bool:
    """The buyer, the vendor and admins may read (and print) an order's payment receipt."""
    return signed_in(user) and (user.is_admin or member_of(user, order.buyer_id) or member_of(user, order.vendor_id))
