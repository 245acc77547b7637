"""Moderation in Chromium: a user reports a need, the center hides it with a reason, the owner reads the reason,
and the need is gone from /needs/ and search."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.factories import make_need, make_user

TITLE = "陶瓷抛光砖色差分级视觉方案征集"
REASON = "需求中留有私人联系方式，违反发布规则"


def test_a_reported_need_is_hidden_by_the_center_and_the_owner_reads_why(live_server, page):
    """A vendor reports a Foshan SME's need from its page; the Foshan center hides it from the queue with a
    reason; the SME sees the reason on the need's page; visitors no longer find it on /needs/ or in search."""
    base, app = live_server.url, live_server.app
    with app.app_context():
        sme = make_user("enterprise", city="foshan")
        need_id = make_need(sme.organisation, title=TITLE).id
        vendor, center = make_user("vendor", city="foshan").email, make_user("center", city="foshan").email
        sme_email = sme.email
        app.extensions["matching"].ensure_index()
    page.goto(f"{base}/needs/")
    expect(page.locator("#results")).to_contain_text(TITLE)
    page.goto(f"{base}/search?q={TITLE}&kind=need")
    expect(page.locator(f'a[href="/needs/{need_id}"]').first).to_be_visible()

    sign_in(page, base, vendor)
    page.goto(f"{base}/needs/{need_id}")
    page.click("a.report-link")
    page.check("input[name=reason][value=spam]")
    page.fill("#text", "同一需求换了标题反复发布，且留有私人电话")
    page.click("#main form button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/needs/{need_id}$"))
    expect(page.locator(".flash-success")).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, base, center)
    page.goto(f"{base}/moderation/")
    page.click(f"text={TITLE}")
    expect(page.locator("main")).to_contain_text("同一需求换了标题反复发布")
    page.fill("#hide-reason", REASON)
    page.click(".action-hide button")
    expect(page.locator(".moderation-history")).to_contain_text(REASON)
    page.context.clear_cookies()

    sign_in(page, base, sme_email)
    page.goto(f"{base}/needs/{need_id}")
    expect(page.locator(".moderation-notice")).to_contain_text(REASON)
    page.context.clear_cookies()

    page.goto(f"{base}/needs/")
    expect(page.locator("#results")).not_to_contain_text(TITLE)
    page.goto(f"{base}/search?q={TITLE}&kind=need")
    expect(page.locator("main")).to_be_visible()
    expect(page.locator(f'a[href="/needs/{need_id}"]')).to_have_count(0)
    assert page.goto(f"{base}/needs/{need_id}").status == 404
