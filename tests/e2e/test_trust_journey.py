"""Issue #13's whole journey in Chromium, each party in its own browser: a new SME registers and uploads its
business licence; the Zhuhai promotion center verifies it; the SME applies for a 模型券 quota and the center
approves less than asked; the SME orders an offering in Zhuhai's 模型券 catalogue and the deduction comes from
that quota; the vendor records the payment, delivers and submits the redemption (合同, 发票, 验收单); the center
confirms it and finds the amount owed to the vendor in the reimbursement report."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.factories import gen_credit_code, make_offering, make_user
from tests.trust.helpers import PDF_BYTES, png_bytes

PASSWORD = "jinghong-mould-2026"


def new_page(browser):
    """A fresh Chinese browser at laptop width."""
    return browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}).new_page()


def test_register_verify_quota_order_deliver_redeem_report(live_server, browser):
    base = live_server.url
    with live_server.app.app_context():
        vendor = make_user("vendor", name="珠海澜鲸智能装备有限公司", city="zhuhai")
        center = make_user("center", name="珠海市制造业数智赋能中心", city="zhuhai")
        offering = make_offering(vendor.organisation, title="模具型腔表面缺陷检测服务", price_fen=100_000_00)
        vendor_email, center_email, offering_id = vendor.email, center.email, offering.id

    # The SME registers and learns what it cannot do yet.
    sme = new_page(browser)
    sme.goto(f"{base}/accounts/register")
    sme.select_option("#kind", "enterprise")
    sme.fill("#org_name", "珠海市金湾区精鸿模具有限公司")
    credit_code = gen_credit_code(920001)
    sme.fill("#credit_code", credit_code)
    sme.select_option("#city", "zhuhai")
    sme.select_option("#industry", "hardware_metal")
    sme.select_option("#size", "small")
    sme.select_option("#digital_level", "2")
    sme.fill("#name", "李海鸿")
    sme.fill("#email", "li@jinghong.example.cn")
    sme.fill("#password", PASSWORD)
    sme.fill("#confirm", PASSWORD)
    sme.click("#main form button[type=submit]")
    expect(sme).to_have_url(re.compile(r"/dashboard$"))
    expect(sme.locator(".verification-status")).to_have_attribute("data-state", "unverified")
    sme.goto(f"{base}/vouchers/apply")
    expect(sme.locator("#main")).to_contain_text("贵单位尚未通过认证")
    expect(sme.locator("#projects")).to_have_count(0)

    # It uploads its business licence; the Zhuhai center opens it and verifies the SME.
    sme.goto(f"{base}/trust/verification")
    sme.set_input_files("#licence", files=[{"name": "营业执照.png", "mimeType": "image/png", "buffer": png_bytes()}])
    sme.click("#main form button[type=submit]")
    expect(sme.locator(".verification-status")).to_have_attribute("data-state", "awaiting")

    desk = new_page(browser)
    sign_in(desk, base, center_email)
    desk.click("a.nav-review")
    expect(desk.locator(".worklist.has-waiting:has(a[href$='/trust/queue'])")).to_contain_text("1 项待处理")
    desk.click(".worklist a[href$='/trust/queue']")
    row = desk.locator("tbody tr", has_text="珠海市金湾区精鸿模具有限公司")
    expect(row).to_contain_text(credit_code)
    row.locator("a", has_text="珠海市金湾区精鸿模具有限公司").click()
    expect(desk.locator("img.licence-preview")).to_be_visible()
    desk.click("form.action-approve button")
    expect(desk.locator(".flash-success")).to_be_visible()

    # Verified, the SME applies for a quota; the center approves less than asked.
    sme.goto(f"{base}/dashboard")
    expect(sme.locator(".verification-status")).to_have_attribute("data-state", "verified")
    sme.goto(f"{base}/vouchers/apply")
    sme.fill("#projects", "采购模具型腔缺陷检测服务，覆盖两台高速冲床，第一季度上线。")
    sme.fill("#amount", "100000")
    sme.click("#main form[method=post] button[type=submit]")
    expect(sme).to_have_url(re.compile(r"/vouchers/applications/\d+$"))

    desk.goto(f"{base}/review")
    desk.click(".worklist a[href='/vouchers/applications']")
    desk.click("text=珠海市金湾区精鸿模具有限公司")
    desk.fill("#amount", "20000")
    desk.fill("#reason", "首年按计划的五分之一核定，核销后可再申请。")
    desk.click("form.action-grant button[type=submit]")
    expect(desk.locator(".flash-success")).to_be_visible()

    # The SME orders the offering in Zhuhai's 模型券 catalogue: 30 % would be 30,000, the quota allows 20,000.
    sme.goto(f"{base}/offerings/{offering_id}")
    expect(sme.locator("#main")).to_contain_text("珠海")
    sme.click(".order-box button")
    expect(sme.locator(".money-table")).to_contain_text("−¥20,000.00")
    expect(sme.locator(".money-table")).to_contain_text("¥80,000.00")
    sme.click("#main form[method=post] button[type=submit]")
    expect(sme.locator("h1")).to_contain_text("待付款")
    order_id = re.search(r"/orders/(\d+)", sme.url).group(1)

    # The vendor records the payment, delivers, and submits the redemption with its three files.
    seller = new_page(browser)
    sign_in(seller, base, vendor_email)
    seller.goto(f"{base}/orders/{order_id}")
    seller.get_by_role("link", name="登记收款").click()
    payable = int(seller.locator(".money-figures tr.total td").get_attribute("data-fen"))
    seller.fill("#amount", f"{payable // 100}.{payable % 100:02d}")
    seller.fill("#reference", "ICBC-2026-0042")
    seller.click("#main form[method=post] button[type=submit]")
    expect(seller.locator(".receipt-reference")).to_have_text("ICBC-2026-0042")
    seller.goto(f"{base}/orders/{order_id}")
    seller.click(".action-fulfil button")
    seller.click(f"a[href='/orders/{order_id}/redemption']")
    expect(seller.locator("#claimed")).to_have_value("20000.00")
    for field, name in (("#contract", "采购合同.pdf"), ("#invoice", "增值税发票.pdf"), ("#acceptance", "验收单.pdf")):
        seller.set_input_files(field, {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES})
    seller.fill("#invoice_number", "44002026120101")
    seller.click("#main form button[type=submit]")
    expect(seller).to_have_url(re.compile(r"/redemptions/\d+$"))
    expect(seller.locator(".badge-claimed")).to_be_visible()

    # The center confirms it from the review desk and finds the amount owed in the reimbursement report.
    desk.goto(f"{base}/review")
    expect(desk.locator(".worklist.has-waiting:has(a[href='/redemptions'])")).to_contain_text("1 项待处理")
    desk.click(".worklist a[href='/redemptions']")
    desk.click("a[href^='/redemptions/']:has-text('模具型腔表面缺陷检测服务')")
    desk.click(".action-redeem button")
    expect(desk.locator(".badge-redeemed")).to_be_visible()
    desk.goto(f"{base}/reimbursement")
    report = desk.locator("article.reimbursement")
    expect(report).to_contain_text("珠海澜鲸智能装备有限公司")
    expect(report).to_contain_text("44002026120101")
    expect(report.locator(".grand-total")).to_contain_text("¥20,000.00")

    # The SME's ledger shows the order's reservation, its commitment on payment, and the redemption.
    sme.goto(f"{base}/vouchers")
    expect(sme.locator(".voucher-ledger")).to_contain_text("已核销")
    for page in (sme, desk, seller):
        page.context.close()
