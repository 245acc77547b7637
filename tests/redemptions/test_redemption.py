"""Redemption (核销): only delivered voucher-paid orders, three checked files, who sees them, confirm and return."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.orders.models import VoucherEntry
from marketplace.orders.services import refund
from marketplace.permissions import can
from marketplace.redemptions.services import Claim, decide, submit_redemption
from marketplace.states import IllegalTransition
from tests.factories import make_offering, make_user
from tests.redemptions.helpers import PLACED, full_claim, funded_buyer, pdf, three_files, voucher_order


def redeem_rows(order_id: int) -> int:
    """Count the order's `redeem` ledger rows."""
    return db.session.scalar(select(func.count()).select_from(VoucherEntry).where(
        VoucherEntry.order_id == order_id, VoucherEntry.kind == "redeem"))


@pytest.mark.parametrize(("pay", "fulfil"), [(False, False), (True, False)])
def test_only_a_delivered_order_can_be_redeemed(in_app, pay, fulfil):
    """A placed or paid (not yet delivered) order is refused, saying why."""
    w = voucher_order(pay=pay, fulfil=fulfil)
    with pytest.raises(DomainError, match="deliver|交付"):
        submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())


def test_an_order_without_a_voucher_deduction_cannot_be_redeemed(in_app):
    """A delivered order of an offering in no catalogue has nothing to redeem."""
    from marketplace.orders.services import mark_fulfilled, mark_paid, place_order

    sme, vendor = funded_buyer(), make_user("vendor")
    order, _ = place_order(sme, make_offering(vendor.organisation, voucher_eligible=False), 1, "plain")
    db.session.flush()
    mark_paid(order.id, vendor)
    mark_fulfilled(order.id, vendor)
    assert order.voucher_fen == 0
    with pytest.raises(DomainError, match="模型券"):
        submit_redemption(vendor, order, Claim("1", order.list_fen, 0), three_files())


def test_only_the_vendor_of_the_order_submits(in_app):
    """The buyer, another vendor and the center cannot submit the vendor's redemption."""
    w = voucher_order()
    for other in (w.sme, make_user("vendor"), w.center):
        with pytest.raises(PermissionDenied):
            submit_redemption(other, w.order, full_claim(w.order), three_files())


def test_all_three_files_are_required_and_checked_by_content(in_app):
    """A missing acceptance form and a text file named .pdf are both refused, each on its own field; nothing
    is written."""
    w = voucher_order()
    files = three_files()
    files["invoice"] = pdf("发票.pdf", b"this is not a pdf at all")
    files["acceptance"] = None
    with pytest.raises(DomainError) as refused:
        submit_redemption(w.vendor, w.order, full_claim(w.order), files)
    assert {field for field, _message in refused.value.reasons} == {"invoice", "acceptance"}
    db.session.rollback()
    from marketplace.redemptions.models import Redemption

    assert db.session.scalar(select(func.count()).select_from(Redemption)) == 0


def test_the_figures_must_hold(in_app):
    """The claim is the order's deduction; an invoice other than the list amount needs a reason."""
    w = voucher_order()
    order = w.order
    with pytest.raises(DomainError) as refused:
        submit_redemption(w.vendor, order, Claim("4400", order.list_fen - 100, order.voucher_fen + 1), three_files())
    assert {field for field, _m in refused.value.reasons} == {"difference_note", "claimed"}
    db.session.rollback()
    redemption = submit_redemption(w.vendor, order, Claim("4400", order.list_fen - 100, order.voucher_fen,
                                                          "发票已扣除 1 元运费"), three_files())
    assert redemption.invoice_fen == order.list_fen - 100 and redemption.claimed_fen == order.voucher_fen == 3_000_000
    assert redemption.region == "zhuhai" and redemption.state == "claimed"


def test_confirming_appends_exactly_one_redeem_row(in_app):
    """The zhuhai center confirms: one `redeem` row of the order's deduction; a second confirm is refused."""
    w = voucher_order()
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())
    db.session.commit()
    assert redeem_rows(w.order.id) == 0
    decide(redemption.id, "redeem", w.center)
    db.session.commit()
    row = db.session.scalar(select(VoucherEntry).where(VoucherEntry.kind == "redeem"))
    assert (row.order_id, row.amount_fen, row.enterprise_id, row.region) == (
        w.order.id, w.order.voucher_fen, w.sme.organisation_id, "zhuhai")
    assert redemption.state == "redeemed" and redemption.redeemed_at is not None
    with pytest.raises(IllegalTransition):
        decide(redemption.id, "redeem", w.center)
    db.session.rollback()
    assert redeem_rows(w.order.id) == 1


def test_only_the_center_of_the_buyers_region_or_an_admin_decides(in_app):
    """A foshan center and the vendor may not confirm a zhuhai redemption; an admin may."""
    w = voucher_order()
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())
    db.session.commit()
    for other in (make_user("center", city="foshan"), w.vendor, w.sme):
        assert not can(other, "redemption.decide", redemption)
        with pytest.raises(PermissionDenied):
            decide(redemption.id, "redeem", other)
    assert can(make_user("admin"), "redemption.decide", redemption)


def test_a_returned_redemption_is_corrected_and_resubmitted(in_app):
    """The center returns it with a reason (the vendor is told); the vendor sends a new invoice, keeping the
    other files; the center can then confirm it."""
    from marketplace.notifications.models import Notification

    w = voucher_order()
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order, "WRONG"), three_files())
    db.session.commit()
    contract_id = redemption.contract_file_id
    with pytest.raises(IllegalTransition):
        decide(redemption.id, "send_back", w.center, reason="")
    db.session.rollback()
    decide(redemption.id, "send_back", w.center, reason="发票号码与发票不符")
    db.session.commit()
    assert redemption.state == "returned" and redemption.return_reason == "发票号码与发票不符"
    told = db.session.scalar(select(Notification).where(Notification.user_id == w.vendor.id,
                                                        Notification.kind == "redemption_returned"))
    assert told is not None and told.params["reason"] == "发票号码与发票不符"
    again = submit_redemption(w.vendor, w.order, full_claim(w.order, "44009999"),
                              {"invoice": pdf("新发票.pdf", b"%PDF-1.7\nnew invoice\n%%EOF\n")})
    db.session.commit()
    assert again.id == redemption.id and again.state == "claimed" and again.submissions == 2
    assert again.invoice_number == "44009999" and again.contract_file_id == contract_id
    assert again.invoice_file.filename == "新发票.pdf"
    decide(redemption.id, "redeem", w.center)
    db.session.commit()
    assert redeem_rows(w.order.id) == 1
    with pytest.raises(DomainError):
        submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())


def test_a_refunded_order_is_not_confirmed(in_app):
    """An order refunded after its redemption was submitted cannot be confirmed; no redeem row appears."""
    w = voucher_order()
    redemption = submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())
    db.session.commit()
    refund(w.order.id, w.vendor, "客户退货", when=PLACED + timedelta(days=9))
    db.session.commit()
    with pytest.raises(IllegalTransition, match="refund|退款"):
        decide(redemption.id, "redeem", w.center)
    db.session.rollback()
    assert redeem_rows(w.order.id) == 0


def test_files_are_shown_only_to_the_parties_the_center_of_the_region_and_admins(app, client, auth):
    """The vendor, the buyer, the zhuhai center and an admin download the invoice; another vendor, another
    SME and the foshan center are refused."""
    with app.app_context():
        w = voucher_order()
        redemption = submit_redemption(w.vendor, w.order, full_claim(w.order), three_files())
        db.session.commit()
        redemption_id = redemption.id
        url = f"/redemptions/{redemption_id}/files/invoice"
        insiders = [u.email for u in (w.vendor, w.sme, w.center, make_user("admin"))]
        outsiders = [make_user("vendor").email, make_user("enterprise", city="zhuhai").email,
                     make_user("center", city="foshan").email]
    for email in insiders:
        auth.login(email)
        response = client.get(url)
        assert response.status_code == 200, email
        assert response.data.startswith(b"%PDF") and "attachment" in response.headers["Content-Disposition"]
        assert client.get(f"/redemptions/{redemption_id}").status_code == 200
        auth.logout()
    for email in outsiders:
        auth.login(email)
        assert client.get(url).status_code == 403, email
        assert client.get(f"/redemptions/{redemption_id}").status_code == 403, email
        auth.logout()
    assert client.get(url).status_code == 302  # visitors are sent to sign in


def test_vendor_submits_through_the_order_page(app, client, auth):
    """The delivered order's page offers the vendor the redemption; the form uploads the files and the
    center's queue lists it."""
    with app.app_context():
        w = voucher_order()
        order_id, vendor_email, center_email = w.order.id, w.vendor.email, w.center.email
        list_yuan, voucher_yuan = f"{w.order.list_fen / 100:.2f}", f"{w.order.voucher_fen / 100:.2f}"
    auth.login(vendor_email)
    assert f"/orders/{order_id}/redemption" in client.get(f"/orders/{order_id}").get_data(as_text=True)
    data = {"invoice_number": "44001234", "invoice_amount": list_yuan, "claimed": voucher_yuan,
            "contract": pdf("合同.pdf"), "invoice": pdf("发票.pdf")}
    response = client.post(f"/orders/{order_id}/redemption", data=data, content_type="multipart/form-data")
    assert response.status_code == 422  # the acceptance form is missing
    data.update(contract=pdf("合同.pdf"), invoice=pdf("发票.pdf"), acceptance=pdf("验收单.pdf"))
    response = client.post(f"/orders/{order_id}/redemption", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and "/redemptions/" in response.headers["Location"]
    auth.logout()
    auth.login(center_email)
    assert f"订单 {order_id}" in client.get("/redemptions", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
