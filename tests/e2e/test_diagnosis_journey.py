"""Issue #15 item 1 in Chromium: an SME takes the self-assessment and reads its level as self-assessed; the
promotion center of its city finds it in its enterprise files, records a diagnosis visit and confirms the level;
the SME then reads the level as confirmed, with the center's name."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.diagnosis.indicators import indicator_system
from tests.e2e.test_journeys import sign_in
from tests.factories import make_user


def new_page(browser):
    """A fresh English browser at laptop width (the journey reads the English basis words)."""
    return browser.new_context(locale="en", viewport={"width": 1366, "height": 900}).new_page()


def test_sme_assesses_center_confirms_sme_sees_confirmed(live_server, browser):
    base = live_server.url
    with live_server.app.app_context():
        sme = make_user("enterprise", city="jiangmen", name="江门示例五金制品有限公司")
        center = make_user("center", city="jiangmen", name="江门市数智赋能中心")
        sme_email, center_email = sme.email, center.email
    questions = indicator_system().questions

    enterprise = new_page(browser)
    sign_in(enterprise, base, sme_email)
    enterprise.goto(f"{base}/diagnosis/assessment")
    for question in questions:  # the middle-high answer everywhere: 66.7 points, level 3
        enterprise.locator(f"#q-{question.code} input[value='2']").check()
    with enterprise.expect_navigation(timeout=180_000):  # the report's first search loads the index
        enterprise.get_by_role("button", name=re.compile("Compute my level|计算我的等级")).click(no_wait_after=True)
    expect(enterprise).to_have_url(re.compile(r"/diagnosis/\d+$"))
    expect(enterprise.locator(".score-table")).to_contain_text("66.7")
    expect(enterprise.locator(".level-standing")).to_contain_text("自评")

    office = new_page(browser)
    sign_in(office, base, center_email)
    office.goto(f"{base}/diagnosis/files")
    office.get_by_role("link", name="江门示例五金制品有限公司").click()
    office.fill("#visited_on", "2026-03-01")
    office.select_option("#level", "2")
    office.fill("#findings", "设备联网率低于自评，经营维度按二级认定。")
    office.get_by_role("button", name=re.compile("Record the visit|记录走访")).click()
    office.locator("form.action-confirm_level button").click()
    expect(office.locator(".level-standing")).to_contain_text("已确认")

    enterprise.goto(f"{base}/diagnosis/")
    expect(enterprise.locator(".level-standing")).to_contain_text("已确认")
    expect(enterprise.locator(".level-standing")).to_contain_text("江门市数智赋能中心")
