"""Whole user journeys in Chromium: register and post a need, publish an offering, switch language."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, gen_credit_code


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the login form."""
    page.goto(f"{base}/accounts/login")
    page.fill("#email", email)
    page.fill("#password", DEFAULT_PASSWORD)
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_sme_registers_posts_a_need_and_finds_it(live_server, page):
    """An SME registers, posts a need, and finds it in the list by typing in the search box."""
    base = live_server.url
    page.goto(f"{base}/accounts/register")
    page.select_option("#kind", "enterprise")
    page.fill("#org_name", "江门市蓬江区恒达五金制品有限公司")
    page.fill("#credit_code", gen_credit_code(900001))
    page.select_option("#city", "jiangmen")
    page.select_option("#industry", "hardware_metal")
    page.select_option("#size", "small")
    page.select_option("#digital_level", "2")
    page.fill("#name", "黄志明")
    page.fill("#email", "huang@hengda.example.cn")
    page.fill("#password", "hengda-password-1")
    page.fill("#confirm", "hengda-password-1")
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    page.click("#main a.button:has-text('发布需求')")
    page.fill("#title", "不锈钢冲压件毛刺在线检测")
    page.fill("#description", "我们有 6 条冲压线生产不锈钢锅盖，毛刺和压痕靠人工目检，每班漏检 2% 左右，想上视觉检测。")
    page.select_option("#industry", "hardware_metal")
    page.select_option("#scenario", "online_inspection")
    page.select_option("#city", "jiangmen")
    page.select_option("#visibility", "public")
    page.fill("#budget_min", "80000")
    page.fill("#budget_max", "10000")
    page.click("#main form button[type=submit]")
    expect(page.locator(".error").first).to_be_visible()
    expect(page.locator("#title")).to_have_value("不锈钢冲压件毛刺在线检测")
    page.fill("#budget_max", "200000")
    page.click("#main form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("不锈钢冲压件毛刺在线检测")
    # A new registration is not verified yet: under pre-moderation (the default) its need waits for review.
    expect(page.locator(".moderation-notice")).to_be_visible()
    need_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    with live_server.app.app_context():  # the Jiangmen center (here an admin) approves it
        from marketplace.extensions import db
        from marketplace.moderation.services import decide
        from tests.factories import make_user

        decide(make_user("admin"), "need", need_id, "approve")
        db.session.commit()

    with live_server.app.app_context():  # the keyword box ranks with the search index: wait for its first build
        live_server.app.extensions["matching"].ensure_index()
    page.goto(f"{base}/needs/")
    page.locator("input[type=search]").press_sequentially("冲压", delay=50)
    expect(page.locator("#results")).to_contain_text("不锈钢冲压件毛刺在线检测")
    expect(page).to_have_url(re.compile(r"q=%E5%86%B2%E5%8E%8B"))


def test_need_form_suggests_scenarios_and_a_click_chooses_one(live_server, page, make_account):
    """The need form chooses no scenario; typing the problem brings suggestion buttons beside the select, and
    clicking 在线智能检测 chooses it there (no inline script: the site's own JS under the CSP)."""
    base = live_server.url
    sign_in(page, base, make_account("enterprise"))
    page.goto(f"{base}/needs/new")
    expect(page.locator("#scenario")).to_have_value("")
    expect(page.locator("#scenario optgroup")).to_have_count(8)
    page.locator("#title").press_sequentially("注塑件表面划痕检测，人工目检漏检多", delay=20)
    suggestion = page.locator("#scenario-suggestions button[data-value=online_inspection]")
    expect(suggestion).to_be_visible(timeout=120_000)
    expect(page.locator("#scenario")).to_have_value("")
    suggestion.click()
    expect(page.locator("#scenario")).to_have_value("online_inspection")
    expect(suggestion).to_have_attribute("aria-pressed", "true")


def test_vendor_publishes_an_offering_visitors_then_see(live_server, page, browser, make_account):
    """A vendor creates an offering, publishes it, and a visitor finds it in the model supermarket."""
    base = live_server.url
    sign_in(page, base, make_account("vendor", name="佛山澜鲸智能装备有限公司"))
    page.goto(f"{base}/offerings/new")
    page.fill("#title", "铝型材表面缺陷检测年度服务")
    page.fill("#summary", "挤压铝型材划伤、气泡、橘皮在线检测")
    page.fill("#description", "线阵相机覆盖 6 米型材，检测划伤、气泡、橘皮、色差，按年订阅含模型迭代。")
    page.select_option("#pricing_plan", "annual")
    page.fill("#price", "198000")
    page.fill("#delivery_days", "30")
    page.check("input[name=deployments][value=edge]")
    page.check("input[name=industries][value=ceramics_building]")
    page.check("input[name=scenarios][value=online_inspection]")
    page.click("#main form button[type=submit]")
    expect(page.locator(".owner-bar")).to_contain_text("草稿")
    page.click(".owner-bar button:has-text('发布')")
    expect(page.locator(".owner-bar")).to_contain_text("已发布")

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}/offerings")
    expect(visitor.locator("#results")).to_contain_text("铝型材表面缺陷检测年度服务")
    visitor.click("text=铝型材表面缺陷检测年度服务")
    expect(visitor.locator(".price.big")).to_contain_text("¥198,000.00")
    visitor.context.close()


def test_visitor_switches_to_english(live_server, page):
    """A visitor sees Chinese by default and English after clicking the switch, on the same page."""
    base = live_server.url
    page.goto(f"{base}/offerings")
    expect(page.locator("nav.main-nav")).to_contain_text("需求")
    page.click("a.lang")
    expect(page).to_have_url(re.compile(r"/offerings"))
    expect(page.locator("nav.main-nav")).to_contain_text("Needs")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{base}/needs/")
    expect(page.locator("h1")).to_contain_text("Scenario needs")


def test_visitor_drills_from_stages_into_one_stages_scenarios_on_the_map(live_server, page):
    """The transformation map lists the 8 stages; clicking one swaps in its scenarios (and the address says so),
    and "all stages" comes back."""
    from marketplace.analytics.aggregates import refresh_aggregates

    with live_server.app.app_context():
        refresh_aggregates()  # what `flask seed` and the job queue's schedule do
    base = live_server.url
    page.goto(f"{base}/analytics/map")
    expect(page.locator("#stage-totals tbody tr")).to_have_count(8)
    expect(page.locator("#heatmap svg")).not_to_contain_text("在线智能检测")
    page.click("#stage-totals >> text=生产作业")
    expect(page).to_have_url(re.compile(r"stage=production_operations"))
    expect(page.locator("#heatmap h2")).to_contain_text("生产作业")
    expect(page.locator("#heatmap svg")).to_contain_text("在线智能检测")
    page.click("#heatmap a.back")
    expect(page.locator("#heatmap svg")).not_to_contain_text("在线智能检测")
    expect(page.locator("#heatmap svg")).to_contain_text("生产作业")
