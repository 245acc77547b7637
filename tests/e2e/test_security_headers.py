"""In Chromium: the main pages, signed in and not, run under the Content-Security-Policy with no violation."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_need, make_offering, make_user

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_main_pages_and_htmx_run_without_csp_violations(live_server, browser):
    """Do home, search, offerings, a detail page, needs, sign-in, the SME dashboard and an htmx filter raise
    no CSP violation, and does every page carry the security headers?"""
    base = live_server.url
    with live_server.app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise")
        offering = make_offering(vendor.organisation, title="注塑件外观缺陷视觉检测一体机", industries=["mould_plastics"])
        make_offering(vendor.organisation, title="空压站群控节能服务", scenarios=["energy_management"],
                      industries=["equipment"], tags="空压机")
        need = make_need(sme.organisation)
        db.session.commit()
        sme_email, offering_id, need_id = sme.email, offering.id, need.id

    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(20_000)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    seen_headers = {}

    def visit(path: str) -> None:
        """Open a page, check its headers and that it raised no violation."""
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin", path
        page.wait_for_load_state("networkidle")
        seen_headers[path] = headers
        assert page.evaluate("window.__cspViolations") == [], path

    visit("/")
    visit("/accounts/login")
    visit("/offerings")
    visit(f"/offerings/{offering_id}")
    visit("/needs/")
    visit("/analytics/map")
    visit("/search?q=" + "视觉检测")

    page.goto(f"{base}/accounts/login")
    page.fill("#email", sme_email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    assert page.evaluate("window.__cspViolations") == []
    visit("/dashboard")
    visit(f"/needs/{need_id}")
    visit("/orders")

    visit("/offerings")
    with page.expect_response(lambda r: "/offerings" in r.url and r.request.headers.get("hx-request") == "true"):
        page.select_option("select[name=industry]", "equipment")
    expect(page.locator("#results")).to_contain_text("空压站群控节能服务")
    expect(page.locator("#results")).not_to_contain_text("注塑件外观缺陷视觉检测一体机")
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
    context.close()
