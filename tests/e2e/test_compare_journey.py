"""A visitor picks models for comparison on the models list (htmx, and without JavaScript), is refused a fifth,
compares them side by side on a phone with the first column staying in view, and reaches the leaderboard."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.test_accessibility import AXE, RUN
from tests.factories import make_model, make_user


@pytest.fixture(scope="module")
def five_models(live_server):
    """Five published models of one vendor."""
    with live_server.app.app_context():
        vendor = make_user("vendor")
        ids = [make_model(vendor.organisation, name=f"对比演示模型{i}").id for i in range(5)]
        db.session.remove()
    return ids


@pytest.mark.parametrize("javascript", [True, False])
def test_visitor_fills_the_tray_and_compares(live_server, browser, five_models, javascript):
    """Do four models go into the tray, a fifth get a message, and the comparison show the four?"""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/models")
    for n, model_id in enumerate(five_models):
        page.locator(f"#compare-control-{model_id} button").click()
        if javascript and n < 4:  # one answer at a time, as a person waits for the button to change
            expect(page.locator(f"#compare-control-{model_id} button")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#compare-tray .tray-models li")).to_have_count(4)
    refusal = page.locator(f"#compare-control-{five_models[4]} .error" if javascript else ".flash-error")
    expect(refusal).to_contain_text("4")
    page.locator("#compare-tray a.button").click()
    expect(page).to_have_url(re.compile(r"/models/compare\?ids="))
    expect(page.locator(".compare-table thead th")).to_have_count(5)
    context.close()


def test_the_first_column_stays_in_view_on_a_phone(live_server, browser, five_models):
    """At 390 px does the comparison scroll sideways inside its box, the row names staying at its left edge, with no
    serious accessibility violation on the page and its tray?"""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/models/{five_models[0]}")
    page.locator(f"#compare-control-{five_models[0]} button").click()
    ids = ",".join(map(str, five_models[:4]))
    page.goto(f"{live_server.url}/models/compare?ids={ids}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".compare-scroll")
    first = page.locator(".compare-table tbody th").first
    left = first.bounding_box()["x"]
    box.evaluate("el => el.scrollBy(400, 0)")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert abs(first.bounding_box()["x"] - left) < 1
    page.add_script_tag(content=AXE)
    assert page.evaluate(RUN) == []
    page.goto(f"{live_server.url}/models")
    page.get_by_role("link", name=re.compile("Evaluation leaderboard|评测排行榜")).first.click()
    expect(page).to_have_url(re.compile(r"/models/leaderboard"))
    context.close()
