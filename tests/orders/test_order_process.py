"""Who may move an order, from which state, and what the order page offers: the order process as data."""
from datetime import UTC, datetime

import pytest

from marketplace.accounts.models import User
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.process import ORDER
from marketplace.orders.services import place_order
from marketplace.states import IllegalTransition
from tests.factories import make_offering, make_quota, make_user


@pytest.fixture
def order(in_app):
    """A placed order, its buyer, its vendor, another vendor and an admin."""
    vendor = make_user("vendor")
    buyer = make_user("enterprise", city="zhuhai")
    make_quota(buyer.organisation, 100_000_000, datetime.now(UTC).year)  # Zhuhai has rules; a quota was approved
    item = make_offering(vendor.organisation, price_fen=10_000_00, voucher_eligible=True)
    placed, _ = place_order(buyer, item, 1, "p-1")
    db.session.commit()
    return {"order": placed, "vendor": vendor, "buyer": buyer, "other": make_user("vendor"),
            "admin": make_user("admin")}


def moves(order, user: User) -> list[str]:
    """Name the transitions a user may fire now."""
    return [t.name for t in ORDER.available(order, user)]


def test_each_side_sees_only_its_own_moves(order):
    """On a placed order the vendor may record payment, the buyer may cancel; nobody else may do anything."""
    placed = order["order"]
    assert moves(placed, order["vendor"]) == ["pay"]
    assert moves(placed, order["buyer"]) == ["cancel"]
    assert moves(placed, order["other"]) == [] and moves(placed, order["admin"]) == []


def test_moves_follow_the_state(order):
    """After payment the vendor may deliver or refund, and the buyer can no longer cancel."""
    ORDER.fire(order["order"].id, "pay", order["vendor"])
    db.session.commit()
    paid = db.session.get(Order, order["order"].id)
    assert moves(paid, order["vendor"]) == ["fulfil", "refund"]
    assert moves(paid, order["buyer"]) == []


def test_a_move_from_the_wrong_state_is_refused_with_a_reason(order):
    """Delivering an unpaid order is refused, saying why, and changes nothing."""
    with pytest.raises(IllegalTransition, match="交付"):
        ORDER.fire(order["order"].id, "fulfil", order["vendor"])
    db.session.rollback()
    assert db.session.get(Order, order["order"].id).state == "placed"


def test_an_admin_cannot_record_payment_for_a_vendor(order):
    """The admin's rights over orders are decided in the permission module: none."""
    with pytest.raises(PermissionDenied):
        ORDER.fire(order["order"].id, "pay", order["admin"])


def test_refund_without_a_reason_is_refused(order):
    """A refund asks for a reason; without one nothing moves."""
    ORDER.fire(order["order"].id, "pay", order["vendor"])
    db.session.commit()
    with pytest.raises(IllegalTransition, match="退款原因"):
        ORDER.fire(order["order"].id, "refund", order["vendor"], reason="  ")
    db.session.rollback()
    assert db.session.get(Order, order["order"].id).state == "paid"


def test_order_page_buttons_come_from_the_process(app, client, auth, order):
    """The vendor's page offers recording payment and no cancel; the buyer's offers cancel and no payment."""
    ids = {"order": order["order"].id, "vendor": order["vendor"].email, "buyer": order["buyer"].email}
    auth.login(ids["vendor"])
    page = client.get(f"/orders/{ids['order']}").get_data(as_text=True)
    assert f'/orders/{ids["order"]}/pay' in page and f'/orders/{ids["order"]}/cancel' not in page
    auth.logout()
    auth.login(ids["buyer"])
    page = client.get(f"/orders/{ids['order']}").get_data(as_text=True)
    assert f'/orders/{ids["order"]}/cancel' in page and f'/orders/{ids["order"]}/pay' not in page
