"""Recording a payment: a confirmation with the exact amounts, the amount received and a reference, one receipt per
payment even when the form is sent twice, and a receipt only the parties and admins can read."""
import re

import pytest
from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.orders.models import Order, PaymentReceipt, VoucherEntry
from marketplace.orders.receipts import record_payment
from marketplace.orders.services import place_order
from marketplace.resonance.models import LedgerEntry
from tests.factories import make_active_agreement, make_offering, make_quota, make_user
from tests.orders.test_concurrency import Job, race
from tests.orders.test_orders import pay

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def deal(app):
    """An unpaid order of 9,999.99 CNY for an offering split 33.33% / 66.67% by an active agreement, paid partly
    with the Zhuhai SME's 模型券."""
    with app.app_context():
        vendor = make_user("vendor")
        data = make_user("enterprise")
        buyer = make_user("enterprise", city="zhuhai")
        make_quota(buyer.organisation, 1_000_000_00, 2026)
        offering = make_offering(vendor.organisation, price_fen=999_999, voucher_eligible=True)
        make_active_agreement(vendor, data, [offering], shares=(3333, 6667))
        order, _ = place_order(buyer, offering, 1, "receipt-1")
        db.session.commit()
        assert 0 < order.voucher_fen < order.list_fen
        return {"order": order.id, "vendor": vendor.id, "vendor_email": vendor.email, "buyer_email": buyer.email,
                "data_email": data.email, "payable": order.payable_fen, "voucher": order.voucher_fen,
                "list": order.list_fen}


def fen_cells(page: str, css_class: str) -> list[int]:
    """The data-fen amounts of the table with that class, in page order."""
    table = re.search(rf'<table class="[^"]*{css_class}[^"]*">(.*?)</table>', page, re.S)
    assert table, css_class
    return [int(v) for v in re.findall(r'data-fen="(-?\d+)"', table.group(1))]


def count(model) -> int:
    """Rows of a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_confirmation_shows_the_amounts_the_ledger_then_records(app, client, auth, deal):
    """Are the total, 模型券 part, amount payable and shares on the confirmation exactly what paying writes?"""
    auth.login(deal["vendor_email"])
    page = client.get(f"/orders/{deal['order']}/pay").get_data(as_text=True)
    assert fen_cells(page, "money-figures") == [deal["list"], deal["voucher"], deal["payable"]]
    shown_shares = fen_cells(page, "money-shares")
    assert pay(client, deal["order"], reference="CMB20260310000123").status_code == 302
    with app.app_context():
        rows = list(db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == deal["order"])
                                       .order_by(LedgerEntry.party_id)))
        assert [r.amount_fen for r in rows] == shown_shares and sum(shown_shares) == deal["list"]
        receipt = db.session.scalar(select(PaymentReceipt))
        assert (receipt.amount_fen, receipt.reference, receipt.recorded_by_id) == (
            deal["payable"], "CMB20260310000123", deal["vendor"])
        voucher_ids = list(db.session.scalars(select(VoucherEntry.id).where(VoucherEntry.order_id == deal["order"])))
    receipt_page = client.get(f"/orders/{deal['order']}/receipt").get_data(as_text=True)
    assert "CMB20260310000123" in receipt_page
    assert fen_cells(receipt_page, "money-shares") == shown_shares
    for entry_id in [r.id for r in rows]:
        assert f"#{entry_id}<" in receipt_page
    for entry_id in voucher_ids:
        assert f"#{entry_id}<" in receipt_page


@pytest.mark.parametrize("typed", ["100", "1万", "0.01"])
def test_a_wrong_amount_is_refused_and_the_input_kept(app, client, auth, deal, typed):
    """Is an amount other than the amount payable refused, with what the vendor typed still in the field?"""
    auth.login(deal["vendor_email"])
    response = pay(client, deal["order"], amount=typed, reference="CMB-1")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'value="{typed}"' in page and 'value="CMB-1"' in page
    assert 'id="amount-err"' in page
    with app.app_context():
        assert db.session.get(Order, deal["order"]).state == "placed"
        assert count(PaymentReceipt) == 0 and count(LedgerEntry) == 0


@pytest.mark.parametrize("typed", ["abc", "12.345", "-5"])
def test_an_amount_that_is_not_yuan_is_refused(app, client, auth, deal, typed):
    """Are text, sub-fen amounts and negatives refused as input, before anything is recorded?"""
    auth.login(deal["vendor_email"])
    response = pay(client, deal["order"], amount=typed)
    assert response.status_code == 422 and f'value="{typed}"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Order, deal["order"]).state == "placed"


def test_the_amount_may_be_typed_in_wan(app, client, auth):
    """Is 1.28万 read as exactly 12,800.00 CNY?"""
    with app.app_context():
        vendor, buyer = make_user("vendor"), make_user("enterprise")
        order, _ = place_order(buyer, make_offering(vendor.organisation, price_fen=12_800_00), 1, "wan")
        db.session.commit()
        order_id, email = order.id, vendor.email
    auth.login(email)
    assert pay(client, order_id, amount="1.28万").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(PaymentReceipt.amount_fen)) == 12_800_00


@pytest.mark.parametrize("reference", ["", "   ", "x" * 65])
def test_a_reference_is_required(app, client, auth, deal, reference):
    """Is a payment without a reference (or with an overlong one) refused and nothing recorded?"""
    auth.login(deal["vendor_email"])
    response = pay(client, deal["order"], reference=reference)
    assert response.status_code == 422 and 'id="reference-err"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Order, deal["order"]).state == "placed" and count(PaymentReceipt) == 0


def test_a_double_submit_records_one_payment(app, client, auth, deal):
    """Does sending the same confirmation twice show the same receipt, with one payment, split and audit row?"""
    auth.login(deal["vendor_email"])
    page = client.get(f"/orders/{deal['order']}/pay").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="(\w+)"', page).group(1)
    amount = f"{deal['payable'] // 100}.{deal['payable'] % 100:02d}"
    first = pay(client, deal["order"], amount=amount, key=key)
    second = pay(client, deal["order"], amount=amount, key=key)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"] == f"/orders/{deal['order']}/receipt"
    with app.app_context():
        assert count(PaymentReceipt) == 1 and count(LedgerEntry) == 2
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "order.paid")) == 1


def test_simultaneous_submits_of_one_form_record_one_payment(app, deal):
    """Do eight identical submits arriving together all get the one receipt, with one split in the ledger?"""
    order_id, payable = deal["order"], deal["payable"]
    jobs = [Job(deal["vendor"], lambda user: record_payment(order_id, user, payable, "CMB-9", "same-form")[0].id)
            for _ in range(8)]
    outcomes = race(app, jobs)
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    with app.app_context():
        assert count(PaymentReceipt) == 1 and count(LedgerEntry) == 2


def test_receipt_is_for_the_parties_and_admins_only(app, client, auth, deal):
    """Do the buyer, the vendor and an admin read the receipt, while a center, another vendor and the data
    party of the agreement are refused and a visitor is sent to sign in?"""
    auth.login(deal["vendor_email"])
    assert pay(client, deal["order"]).status_code == 302
    url = f"/orders/{deal['order']}/receipt"
    assert client.get(url).status_code == 200
    auth.logout()
    assert "/accounts/login" in client.get(url).headers["Location"]
    auth.login(deal["buyer_email"])
    assert client.get(url).status_code == 200
    auth.logout()
    auth.as_role("admin")
    assert client.get(url).status_code == 200
    for role in ("center", "vendor", "enterprise"):
        auth.logout()
        auth.as_role(role)
        assert client.get(url).status_code == 403, role
    auth.logout()
    auth.login(deal["data_email"])
    assert client.get(url).status_code == 403


def test_an_unpaid_order_has_no_receipt(client, auth, deal):
    """Is the receipt of an order not yet paid a 404, not an empty receipt?"""
    auth.login(deal["buyer_email"])
    assert client.get(f"/orders/{deal['order']}/receipt").status_code == 404


def test_the_order_page_links_to_the_confirmation_not_a_bare_button(client, auth, deal):
    """Is 'record payment' a link to the confirmation page (no form posting straight to /pay)?"""
    auth.login(deal["vendor_email"])
    page = client.get(f"/orders/{deal['order']}").get_data(as_text=True)
    assert f'href="/orders/{deal["order"]}/pay"' in page
    assert f'action="/orders/{deal["order"]}/pay"' not in page
