"""A vendor finds an industrial dataset by its facets and asks for access; the owning SME grants it with conditions,
which the vendor then reads (Chromium)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.test_journeys import sign_in
from tests.factories import make_dataset, make_user


def test_a_vendor_finds_a_dataset_and_the_owner_grants_access(live_server, page):
    """Filter the datasets by modality and access mode, open one, ask with a purpose; the owner grants with
    conditions; the vendor reads them on the request."""
    base = live_server.url
    with live_server.app.app_context():
        owner, vendor = make_user("enterprise", city="dongguan"), make_user("vendor", city="shenzhen")
        make_dataset(owner.organisation, title="注塑机振动电流与维修工单集", modalities=["timeseries"],
                     access_mode="licensed", industries=["mould_plastics"], scenarios=["predictive_maintenance"])
        make_dataset(owner.organisation, title="注塑件外观缺陷图像集")
        owner_email, vendor_email = owner.email, vendor.email

    sign_in(page, base, vendor_email)
    page.goto(f"{base}/datasets/")
    page.select_option("#modality", "timeseries")
    expect(page.locator("#results")).not_to_contain_text("注塑件外观缺陷图像集")
    page.select_option("#access_mode", "licensed")
    page.click("#results a:has-text('注塑机振动电流与维修工单集')")
    expect(page.locator("h1")).to_contain_text("注塑机振动电流与维修工单集")
    page.fill("#purpose", "训练注塑机预测性维护模型")
    page.fill("#intended_use", "在数据方私有云内训练，只带出模型参数。")
    page.click("#access form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/datasets/requests/\d+$"))
    request_url = page.url
    page.wait_for_load_state("networkidle")  # a fragment still loading would set the old session cookie again
    page.context.clear_cookies()

    sign_in(page, base, owner_email)
    page.goto(f"{base}/datasets/requests")
    page.click("#incoming a:has-text('训练注塑机预测性维护模型')")
    page.fill("form.action-grant textarea[name=conditions]", "使用期一年，数据不出本企业私有云。")
    page.click("form.action-grant button[type=submit]")
    expect(page.locator("h1 .badge, h1 span").first).to_be_visible()
    page.wait_for_load_state("networkidle")  # a fragment still loading would set the old session cookie again
    page.context.clear_cookies()

    sign_in(page, base, vendor_email)
    page.goto(request_url)
    expect(page.locator("main")).to_contain_text("使用期一年，数据不出本企业私有云。")
