"""Journeys in Chromium: an SME searches as it types, orders with a 模型券 deduction, the vendor records payment."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.test_journeys import sign_in
from tests.factories import make_offering, make_quota, make_user


def test_sme_searches_orders_with_voucher_and_vendor_records_payment(live_server, browser):
    """Search updates while typing and explains itself; the order shows the voucher; the vendor marks it paid."""
    base = live_server.url
    with live_server.app.app_context():
        vendor = make_user("vendor", name="东莞睛目视觉科技有限公司")
        sme = make_user("enterprise", city="zhuhai", name="珠海鑫联电子科技有限公司")
        make_quota(sme.organisation, 100_000_000, datetime.now(UTC).year)  # Zhuhai has rules; a quota was approved
        offering = make_offering(vendor.organisation, title="SMT 炉后 AOI 误报智能复判一体机", price_fen=168_000_00,
                                 tags="AOI, SMT, 焊点", industries=["electronics"])
        make_offering(vendor.organisation, title="空压站群控节能服务", scenarios=["energy_management"],
                      industries=["equipment"], tags="空压机")
        db.session.commit()
        vendor_email, sme_email, offering_id = vendor.email, sme.email, offering.id

    sme_page = browser.new_context(locale="zh-CN").new_page()
    sign_in(sme_page, base, sme_email)
    sme_page.goto(f"{base}/search")
    sme_page.locator("#q").press_sequentially("AOI 误报太多", delay=40)
    first = sme_page.locator("#results .listing-card").first
    expect(first).to_contain_text("AOI 误报智能复判", timeout=120_000)
    expect(first.locator("mark").first).to_be_visible()
    expect(first.locator(".reasons")).to_contain_text("共同关键词")
    expect(sme_page).to_have_url(re.compile(r"q=AOI"))

    sme_page.goto(f"{base}/offerings/{offering_id}")
    sme_page.click(".order-box button")
    expect(sme_page.locator(".money-table")).to_contain_text("¥168,000.00")
    expect(sme_page.locator(".money-table")).to_contain_text("¥50,400.00")
    sme_page.click("#main form[method=post] button[type=submit]")
    expect(sme_page.locator("h1")).to_contain_text("待付款")
    order_url = sme_page.url

    vendor_page = browser.new_context(locale="zh-CN").new_page()
    sign_in(vendor_page, base, vendor_email)
    vendor_page.goto(order_url)
    vendor_page.get_by_role("link", name="登记收款").click()
    expect(vendor_page.locator(".money-figures tr.total td")).to_have_text("¥117,600.00")
    vendor_page.fill("#amount", "11.76万")
    vendor_page.fill("#reference", "CMB20261201000456")
    vendor_page.click("#main form[method=post] button[type=submit]")
    expect(vendor_page.locator(".receipt-amount")).to_have_text("¥117,600.00")
    expect(vendor_page.locator(".receipt-reference")).to_have_text("CMB20261201000456")
    vendor_page.goto(order_url)
    expect(vendor_page.locator("h1")).to_contain_text("已付款")

    sme_page.reload()
    expect(sme_page.locator("h1")).to_contain_text("已付款")
    sme_page.goto(f"{base}/vouchers")
    expect(sme_page.locator("table")).to_contain_text("#")
    expect(sme_page.locator(".voucher-summary")).to_contain_text("¥949,600.00")
    sme_page.context.close()
    vendor_page.context.close()
