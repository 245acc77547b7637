"""End to end in Chromium: a new SME registers, uploads its business licence, the promotion center of its city
verifies it, and the SME sees the verified mark."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.factories import gen_credit_code
from tests.trust.helpers import png_bytes


def test_new_sme_uploads_a_licence_and_the_city_center_verifies_it(live_server, browser, make_account):
    """The SME is told it is unverified and what that withholds, uploads a PNG licence, the Zhuhai center opens
    the licence from its queue and verifies; the SME's workspace then carries the 已认证 mark."""
    base = live_server.url
    center_email = make_account("center", city="zhuhai")
    sme = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = sme.new_page()
    page.goto(f"{base}/accounts/register")
    page.select_option("#kind", "enterprise")
    page.fill("#org_name", "珠海市斗门区精研模具有限公司")
    credit_code = gen_credit_code(910001)
    page.fill("#credit_code", credit_code)
    page.select_option("#city", "zhuhai")
    page.select_option("#industry", "hardware_metal")
    page.select_option("#size", "small")
    page.select_option("#digital_level", "2")
    page.fill("#name", "陈立新")
    page.fill("#email", "chen@jingyan.example.cn")
    page.fill("#password", "jingyan-mould-2026")
    page.fill("#confirm", "jingyan-mould-2026")
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.locator(".verification-status")).to_have_attribute("data-state", "unverified")
    expect(page.locator(".trust-panel li").first).to_contain_text("模型券")

    page.click(".trust-panel a[href$='/trust/verification']")
    page.set_input_files("#licence", files=[{"name": "营业执照.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/trust/verification$"))
    expect(page.locator(".verification-status")).to_have_attribute("data-state", "awaiting")

    center = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    review = center.new_page()
    sign_in(review, base, center_email)
    review.click(".trust-panel a[href$='/trust/queue']")
    row = review.locator("tbody tr", has_text="珠海市斗门区精研模具有限公司")
    expect(row).to_contain_text(credit_code)
    row.locator("a", has_text="珠海市斗门区精研模具有限公司").click()
    licence = review.locator("img.licence-preview")
    expect(licence).to_be_visible()
    # the image decodes after the page is visible: wait until it has finished loading, then read its size
    review.wait_for_function("document.querySelector('img.licence-preview').complete")
    assert review.evaluate("document.querySelector('img.licence-preview').naturalWidth") == 40
    review.click("form.action-approve button")
    expect(review.locator(".flash-success")).to_be_visible()
    expect(review.locator("h1 .badge-verified")).to_be_visible()

    page.goto(f"{base}/dashboard")
    expect(page.locator(".verification-status")).to_have_attribute("data-state", "verified")
    expect(page.locator(".trust-panel .badge-verified")).to_be_visible()
    expect(page.locator(".trust-panel .badge-verified .sr-only")).to_have_count(1)
    sme.close()
    center.close()
