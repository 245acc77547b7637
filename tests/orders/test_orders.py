"""Orders through the site: quotes with 模型券, idempotent placing, the vendor's payment and refund, voucher caps.

The SME is in Zhuhai (a region with configured rules) and holds an approved 1,000,000 CNY quota for 2026
and 2027: the deduction comes from an approved quota only (tests/vouchers cover the cases without)."""
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order, PaymentReceipt, VoucherEntry
from marketplace.orders.services import cancel, mark_paid, place_order, refund, voucher_used
from tests.factories import make_offering, make_quota, make_user

# The 模型券 deduction depends on the year's voucher instrument, so these tests run at a fixed date.
pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def shop(app):
    """A vendor with a voucher-eligible and a non-eligible offering, and an SME in Zhuhai with approved quotas."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise", city="zhuhai")
        make_quota(sme.organisation, 100_000_000, 2026)
        make_quota(sme.organisation, 100_000_000, 2027)
        eligible = make_offering(vendor.organisation, price_fen=12_345_67, voucher_eligible=True)
        plain = make_offering(vendor.organisation, title="不可用券的方案", price_fen=50_000_00, voucher_eligible=False)
        return {"vendor": vendor.id, "vendor_email": vendor.email, "sme": sme.id, "sme_email": sme.email,
                "sme_org": sme.organisation_id, "eligible": eligible.id, "plain": plain.id}


def user(user_id):
    """Load a user by id."""
    from marketplace.accounts.models import User

    return db.session.get(User, user_id)


def offering(offering_id):
    """Load an offering by id."""
    from marketplace.catalog.models import Offering

    return db.session.get(Offering, offering_id)


def confirm(client, offering_id: int, quantity: int, key: str):
    """Open the order page like a browser and submit it with the quote it shows."""
    page = client.get(f"/offerings/{offering_id}/order?quantity={quantity}").get_data(as_text=True)
    fields = dict(re.findall(r'name="(quoted_\w+)" type="hidden" value="(\d+)"', page))
    assert set(fields) == {"quoted_unit_fen", "quoted_payable_fen"}, page
    return client.post(f"/offerings/{offering_id}/order",
                       data={"quantity": str(quantity), "idempotency_key": key, **fields})


def pay(client, order_id: int, amount: str | None = None, reference: str = "CMB20260310000123", key: str | None = None):
    """Open the payment confirmation like a browser and submit it: the amount received (default: the amount
    payable the page shows), the reference and the page's one-time key (or `key`)."""
    page = client.get(f"/orders/{order_id}/pay").get_data(as_text=True)
    found = re.search(r'name="idempotency_key" type="hidden" value="(\w+)"', page)
    payable = re.search(r'<tr class="total"><th scope="row">[^<]*</th><td class="num" data-fen="(\d+)"', page)
    if amount is None and payable:
        fen = int(payable.group(1))
        amount = f"{fen // 100}.{fen % 100:02d}"
    return client.post(f"/orders/{order_id}/pay", data={"amount": amount or "", "reference": reference,
                                                        "idempotency_key": key or (found.group(1) if found else "")})


def test_quote_page_shows_voucher_deduction_and_payable(client, auth, shop):
    """The order page shows list price, a 30% 模型券 deduction and the amount payable."""
    auth.login(shop["sme_email"])
    page = client.get(f"/offerings/{shop['eligible']}/order?quantity=2").get_data(as_text=True)
    assert "¥24,691.34" in page          # 2 × 12,345.67
    assert "¥7,407.40" in page           # floor(30%) = 740,740 fen
    assert "¥17,283.94" in page          # payable


def test_placing_records_coded_lines_and_voucher_use(app, client, auth, shop):
    """A placed order has an item line and a voucher line summing to the payable amount, and a voucher ledger row."""
    auth.login(shop["sme_email"])
    response = confirm(client, shop["eligible"], 2, "k-1")
    assert response.status_code == 302
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert (order.list_fen, order.voucher_fen, order.payable_fen) == (2_469_134, 740_740, 1_728_394)
        assert sum(line.amount_fen for line in order.lines) == order.payable_fen
        assert [line.code for line in order.lines] == ["item", "model_voucher"]
        assert voucher_used(shop["sme_org"], order.voucher_year) == 740_740


def test_repeated_submit_with_same_key_creates_one_order(app, client, auth, shop):
    """Submitting the same order form twice (same idempotency key) creates exactly one order."""
    auth.login(shop["sme_email"])
    first = confirm(client, shop["eligible"], 1, "same")
    second = confirm(client, shop["eligible"], 1, "same")
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 1
        assert db.session.scalar(select(func.count()).select_from(VoucherEntry)) == 1


def test_non_eligible_offering_gets_no_voucher(app, in_app, shop):
    """An offering without the 模型券 flag is paid in full."""
    order, _ = place_order(user(shop["sme"]), offering(shop["plain"]), 1, "plain-1")
    assert order.voucher_fen == 0 and order.payable_fen == order.list_fen == 50_000_00


def test_bad_quantity_is_refused_with_message(app, client, auth, shop):
    """A quantity of zero or text re-renders with a message and creates nothing."""
    auth.login(shop["sme_email"])
    for quantity in ("0", "abc", "99999999"):
        response = client.post(f"/offerings/{shop['eligible']}/order", data={"quantity": quantity, "idempotency_key": "q"})
        assert response.status_code == 422, quantity
        page = response.get_data(as_text=True)
        assert 'class="error"' in page or 'class="flash flash-error"' in page, quantity
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert db.session.scalar(select(func.count()).select_from(VoucherEntry)) == 0


def test_vendors_and_visitors_cannot_order(client, auth, shop):
    """Only SMEs order: visitors are sent to sign in, vendors get 403."""
    assert client.get(f"/offerings/{shop['eligible']}/order").status_code == 302
    auth.login(shop["vendor_email"])
    assert client.post(f"/offerings/{shop['eligible']}/order", data={"quantity": "1", "idempotency_key": "v"}).status_code == 403


def test_only_the_vendor_marks_paid(app, client, auth, shop):
    """The buyer and other vendors get 403 on 'mark paid'; the vendor records it once; a second payment (a new
    form) records nothing and leads to the receipt with a note that the payment is recorded already."""
    with app.app_context():
        order, _ = place_order(user(shop["sme"]), offering(shop["eligible"]), 1, "pay-1")
        db.session.commit()
        order_id = order.id
    auth.login(shop["sme_email"])
    assert client.post(f"/orders/{order_id}/pay").status_code == 403
    auth.logout()
    auth.as_role("vendor")
    assert client.post(f"/orders/{order_id}/pay").status_code == 403
    auth.logout()
    auth.login(shop["vendor_email"])
    assert pay(client, order_id).status_code == 302
    again = pay(client, order_id, amount="123.45", key="a-second-form")
    assert again.status_code == 302 and again.headers["Location"] == f"/orders/{order_id}/receipt"
    assert "flash-info" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Order, order_id).state == "paid"
        assert db.session.scalar(db.select(db.func.count()).select_from(PaymentReceipt)) == 1


def test_refund_needs_reason_and_releases_voucher(app, client, auth, shop):
    """A refund without a reason is refused; with one, the order is refunded and the voucher amount comes back."""
    with app.app_context():
        order, _ = place_order(user(shop["sme"]), offering(shop["eligible"]), 1, "refund-1")
        mark_paid(order.id, user(shop["vendor"]))
        db.session.commit()
        order_id, year = order.id, order.voucher_year
    auth.login(shop["vendor_email"])
    client.post(f"/orders/{order_id}/refund", data={"reason": ""})
    with app.app_context():
        assert db.session.get(Order, order_id).state == "paid"
        assert voucher_used(shop["sme_org"], year) > 0
    client.post(f"/orders/{order_id}/refund", data={"reason": "客户产线停产，双方协商退款"})
    with app.app_context():
        assert db.session.get(Order, order_id).state == "refunded"
        assert voucher_used(shop["sme_org"], year) == 0


def test_cancel_by_buyer_releases_voucher(app, in_app, shop):
    """Cancelling an unpaid order gives the voucher amount back."""
    order, _ = place_order(user(shop["sme"]), offering(shop["eligible"]), 3, "cancel-1")
    assert voucher_used(shop["sme_org"], order.voucher_year) > 0
    cancel(order.id, user(shop["sme"]))
    assert voucher_used(shop["sme_org"], order.voucher_year) == 0


def test_voucher_cap_is_never_exceeded_over_many_orders(app, in_app, shop):
    """Forty large orders in a year: deductions stop exactly at the 1,000,000 CNY cap."""
    sme, item = user(shop["sme"]), offering(shop["eligible"])
    item.price_fen = 977_777_77
    when = datetime(2026, 3, 1, tzinfo=timezone.utc)
    total = 0
    for i in range(40):
        order, _ = place_order(sme, item, 1, f"cap-{i}", when=when)
        total += order.voucher_fen
        assert voucher_used(sme.organisation_id, 2026) <= 100_000_000
    assert total == 100_000_000
    assert order.voucher_fen == 0 and order.payable_fen == order.list_fen


def test_year_boundary_resets_the_cap(app, in_app, shop):
    """Using the whole 2026 cap on 31 December leaves 2027's cap untouched on 1 January."""
    sme, item = user(shop["sme"]), offering(shop["eligible"])
    item.price_fen = 400_000_000_00
    last = place_order(sme, item, 1, "y-2026", when=datetime(2026, 12, 31, 23, 59, tzinfo=timezone.utc))[0]
    first = place_order(sme, item, 1, "y-2027", when=datetime(2027, 1, 1, 0, 1, tzinfo=timezone.utc))[0]
    assert (last.voucher_year, last.voucher_fen) == (2026, 100_000_000)
    assert (first.voucher_year, first.voucher_fen) == (2027, 100_000_000)


def test_vouchers_page_shows_allowance_uses_and_releases(app, client, auth, shop):
    """The SME's voucher ledger lists the approved quota, the reservation and its release, with a running balance."""
    with app.app_context():
        order, _ = place_order(user(shop["sme"]), offering(shop["eligible"]), 1, "ledger-1")
        cancel(order.id, user(shop["sme"]))
        db.session.commit()
        year = order.voucher_year
    auth.login(shop["sme_email"])
    page = client.get(f"/vouchers?year={year}").get_data(as_text=True)
    assert "¥1,000,000.00" in page and page.count("#") >= 2
    assert "¥3,703.70" in page
    english = client.get(f"/vouchers?year={year}&lang=en").get_data(as_text=True)
    assert "Reserved (order placed, not yet paid)" in english and "Released (order cancelled)" in english
    assert ">Used<" not in english
