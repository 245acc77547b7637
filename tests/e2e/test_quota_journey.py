"""The 模型券 journey in Chromium: an SME applies for a quota, its region's center approves a lower amount, and the
SME's order of a voucher-eligible offering takes the deduction from that quota."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.test_journeys import sign_in
from tests.factories import make_offering, make_user


def test_sme_applies_center_approves_less_and_the_order_uses_the_quota(live_server, browser):
    """Asked 300,000, approved 50,000: a 200,000 purchase gets 50,000 off (not 30% = 60,000), and the ledger shows it."""
    base = live_server.url
    with live_server.app.app_context():
        vendor = make_user("vendor", name="珠海视睿智能科技有限公司")
        sme = make_user("enterprise", city="zhuhai", name="珠海科悦电子有限公司")
        center = make_user("center", city="zhuhai", name="珠海市数字化转型促进中心")
        offering = make_offering(vendor.organisation, title="PCB 焊点 AOI 误报复判服务", price_fen=200_000_00)
        db.session.commit()
        sme_email, center_email, offering_id = sme.email, center.email, offering.id

    sme_page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    sign_in(sme_page, base, sme_email)
    sme_page.goto(f"{base}/vouchers/apply")
    expect(sme_page.locator("#year")).to_have_value(str(date.today().year))
    sme_page.fill("#projects", "采购 AOI 误报复判服务，覆盖两条 SMT 产线，第三季度上线。")
    sme_page.fill("#amount", "300000")
    sme_page.click("#main form[method=post] button[type=submit]")
    expect(sme_page).to_have_url(re.compile(r"/vouchers/applications/\d+$"))
    expect(sme_page.locator(".facts")).to_contain_text("¥300,000.00")

    center_page = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()
    sign_in(center_page, base, center_email)
    center_page.click("a[href='/vouchers/applications']")
    center_page.click("text=珠海科悦电子有限公司")
    center_page.fill("#amount", "50000")
    center_page.fill("#reason", "首年按计划的六分之一核定，核销后可再申请。")
    center_page.click("form.action-grant button[type=submit]")
    expect(center_page.locator(".flash-success")).to_be_visible()
    expect(center_page.locator(".facts")).to_contain_text("¥50,000.00")

    sme_page.goto(f"{base}/offerings/{offering_id}")
    sme_page.click(".order-box button")
    expect(sme_page.locator(".money-table")).to_contain_text("¥200,000.00")
    expect(sme_page.locator(".money-table")).to_contain_text("−¥50,000.00")
    expect(sme_page.locator(".money-table")).to_contain_text("¥150,000.00")
    sme_page.click("#main form[method=post] button[type=submit]")
    expect(sme_page.locator("h1")).to_contain_text("待付款")

    sme_page.goto(f"{base}/vouchers")
    expect(sme_page.locator(".voucher-ledger")).to_contain_text("¥50,000.00")
    expect(sme_page.locator(".voucher-ledger")).to_contain_text("-¥50,000.00")
    expect(sme_page.locator(".voucher-summary dl")).to_contain_text("¥0.00")
    sme_page.context.close()
    center_page.context.close()
