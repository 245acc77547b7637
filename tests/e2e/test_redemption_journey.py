"""The end of the 模型券 journey in Chromium: the vendor delivers a voucher-paid order and submits its redemption
(合同, 发票, 验收单); the zhuhai center confirms it and finds it in the reimbursement report."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.test_journeys import sign_in
from tests.factories import make_offering, make_quota, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def paid_voucher_order(app) -> dict:
    """A zhuhai SME's paid order of an offering in zhuhai's 模型券 catalogue; the vendor and zhuhai's center."""
    from marketplace.orders.services import mark_paid, place_order

    with app.app_context():
        vendor = make_user("vendor", name="珠海澜鲸智能装备有限公司", city="zhuhai")
        center = make_user("center", name="珠海市制造业数智赋能中心", city="zhuhai")
        sme = make_user("enterprise", name="珠海格致精密注塑有限公司", city="zhuhai")
        make_quota(sme.organisation, year=date.today().year)
        offering = make_offering(vendor.organisation, title="注塑件外观缺陷检测一体机", price_fen=128_000_00)
        order, _ = place_order(sme, offering, 1, "e2e-redemption")
        db.session.flush()
        mark_paid(order.id, vendor)
        db.session.commit()
        return {"vendor": vendor.email, "center": center.email, "order": order.id,
                "voucher_fen": order.voucher_fen}


def test_vendor_redeems_and_center_confirms_into_the_report(live_server, page, browser):
    """Deliver → submit the redemption with three files → the center confirms → the report owes ¥38,400.00."""
    base = live_server.url
    w = paid_voucher_order(live_server.app)
    assert w["voucher_fen"] == 38_400_00

    sign_in(page, base, w["vendor"])
    page.goto(f"{base}/orders/{w['order']}")
    page.click(".action-fulfil button")
    page.click(f"a[href='/orders/{w['order']}/redemption']")
    expect(page.locator("#claimed")).to_have_value("38400.00")
    page.set_input_files("#contract", {"name": "采购合同.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.set_input_files("#invoice", {"name": "增值税发票.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.fill("#invoice_number", "44002026113001")
    page.click("#main form button[type=submit]")
    expect(page.locator("#acceptance-err")).to_be_visible()  # the acceptance form is missing
    page.set_input_files("#contract", {"name": "采购合同.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.set_input_files("#invoice", {"name": "增值税发票.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.set_input_files("#acceptance", {"name": "验收单.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/redemptions/\d+$"))
    expect(page.locator(".badge-claimed")).to_be_visible()
    expect(page.locator(".file-list li")).to_have_count(3)

    center = browser.new_context(locale="zh-CN").new_page()
    sign_in(center, base, w["center"])
    center.goto(f"{base}/redemptions")
    center.click(f"a[href^='/redemptions/']:has-text('注塑件外观缺陷检测一体机')")
    with center.expect_download() as download:
        center.click("a.file-invoice")
    assert download.value.suggested_filename == "增值税发票.pdf"
    center.click(".action-redeem button")
    expect(center.locator(".badge-redeemed")).to_be_visible()
    center.goto(f"{base}/reimbursement")
    report = center.locator("article.reimbursement")
    expect(report).to_contain_text("珠海澜鲸智能装备有限公司")
    expect(report).to_contain_text("44002026113001")
    expect(report.locator(".grand-total")).to_contain_text("¥38,400.00")
    with center.expect_download() as csv_download:
        center.click("a[href*='format=csv']")
    assert csv_download.value.suggested_filename.endswith(".csv")
    center.context.close()
