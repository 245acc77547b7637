"""Every main page of each role fits a 390 px phone (nothing wider than the screen, a header under 120 px with a
menu button that opens the navigation) and a 1366 px laptop (the navigation on one line, in both languages)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from marketplace.catalog.models import ModelEvaluation
from marketplace.datasets.services import request_access
from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.services import take_assessment
from marketplace.extensions import db
from marketplace.orders.receipts import record_payment
from marketplace.orders.services import place_order
from tests.conftest import SHOTS
from tests.e2e.test_journeys import sign_in
from tests.factories import (
    make_case,
    make_dataset,
    make_model,
    make_need,
    make_offering,
    make_profile,
    make_proposal,
    make_user,
)

PAGES = {
    "visitor": ["/", "/search?q=注塑件外观缺陷检测", "/needs/", "/offerings", "/models", "/providers", "/cases/",
                "/events/", "/analytics/map", "/accounts/login", "/accounts/register", "/policy/rules",
                "/models/{model}", "/providers/{profile}",
                "/models/compare?ids={model},{model2}", "/models/leaderboard", "/cases/{case}",
                "/cases/collection/2025", "/datasets/", "/datasets/{dataset}"],
    "enterprise": ["/dashboard", "/needs/new", "/orders", "/proposals/", "/notifications/", "/vouchers",
                   "/policy/estimate", "/accounts/tokens", "/trust/verification", "/needs/{need}",
                   "/proposals/{proposal}/accept/confirm", "/orders/{paid}/receipt",
                   "/diagnosis/", "/diagnosis/assessment", "/diagnosis/{assessment}", "/datasets/new", "/datasets/mine",
                   "/datasets/requests", "/datasets/requests/{access}", "/datasets/{dataset}"],
    "vendor": ["/dashboard", "/offerings/new", "/models/new", "/providers/mine", "/resonance/", "/resonance/new",
               "/offerings/{offering}", "/models/{model}", "/models/{model}/edit", "/offerings/{offering}/edit",
               "/accounts/organisation", "/leads", "/orders/{order}/pay", "/orders/{paid}/receipt",
               "/datasets/{dataset}", "/datasets/requests"],
    "center": ["/dashboard", "/review", "/cases/manage", "/cases/new", "/moderation/", "/trust/queue",
               "/vouchers/applications", "/catalogues/review", "/analytics/", "/events/new", "/policy/instruments",
               "/diagnosis/files", "/diagnosis/files/{sme_org}"],
    "admin": ["/dashboard", "/accounts/admin/accounts", "/admin/audit", "/orders/{paid}/receipt"],
}

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !el.closest('.wide-table, .table-scroll, pre, code')) {
      const name = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
      wide.push(el.tagName.toLowerCase() + name + ' ' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 5)};
}"""


def dress_up(vendor, offering, sme) -> None:
    """Give the vendor a logo, its offering a cover and a review, so list cards show a picture and a rating."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from marketplace.reviews.models import Review
    from marketplace.uploads.images import save_public_image

    def photo(size) -> FileStorage:
        """A plain JPEG of a size."""
        buffer = io.BytesIO()
        Image.new("RGB", size, (20, 110, 80)).save(buffer, format="JPEG")
        return FileStorage(io.BytesIO(buffer.getvalue()), filename="image.jpg")

    vendor.organisation.logo = save_public_image(photo((400, 300)), user=vendor, purpose="logo")
    offering.cover = save_public_image(photo((1600, 900)), user=vendor, purpose="cover")
    db.session.add(Review(reviewer_id=sme.organisation_id, author_id=sme.id, vendor_id=vendor.organisation_id,
                          offering_id=offering.id, rating=5, text="交付及时，误报少。"))
    db.session.commit()


@pytest.fixture(scope="module")
def people(live_server):
    """One account per role (the SME, vendor and center in zhuhai) with a record each to look at."""
    with live_server.app.app_context():
        sme, vendor = make_user("enterprise", city="zhuhai"), make_user("vendor", city="zhuhai")
        center, admin = make_user("center", city="zhuhai"), make_user("admin")
        model = make_model(vendor.organisation, intended_use="用于 SMT 焊点外观复判。")
        offering = make_offering(vendor.organisation, models=[model])
        profile = make_profile(vendor.organisation)
        need = make_need(sme.organisation)
        case = make_case(center.organisation)
        lab = make_user("evaluator", name="广东省工业模型评测中心")
        model2 = make_model(vendor.organisation, name="PCB 焊点缺陷复判模型 Lite", evaluations=[
            ModelEvaluation(metric="漏检率", value="0.5%", dataset="SMT 产线 5 万张", evaluator=lab.organisation.name,
                            evaluator_org_id=lab.organisation_id, attestation="attested",
                            attested_at=datetime(2026, 9, 15, tzinfo=UTC), attested_by_id=lab.id),
            ModelEvaluation(metric="mAP@0.5", value="97.1%", dataset="DeepPCB 印制电路板缺陷数据集",
                            evaluator="企业自测")])
        dress_up(vendor, offering, sme)
        proposal = make_proposal(need, vendor, [offering])
        order, _ = place_order(sme, offering, 1, "layout-unpaid")
        paid, _ = place_order(sme, offering, 2, "layout-paid")
        record_payment(paid.id, vendor, paid.payable_fen, "CMB20261201000789", "layout-paid")
        assessment = take_assessment(sme, {q.code: (n % 4) for n, q in enumerate(indicator_system().questions)})
        dataset = make_dataset(sme.organisation, registration_no="DGIDR-2026-00318")
        access = request_access(dataset, vendor, "训练注塑件外观缺陷检测模型", "在数据方环境内调优", model.id)
        db.session.commit()
        ids = {"assessment": assessment.id, "sme_org": sme.organisation_id, "need": need.id, "offering": offering.id,
               "model": model.id, "proposal": proposal.id,
               "order": order.id, "paid": paid.id, "profile": profile.id,
               "model2": model2.id, "dataset": dataset.id, "access": access.id, "case": case.id}
        emails = {"enterprise": sme.email, "vendor": vendor.email, "center": center.email, "admin": admin.email}
        db.session.remove()
    return emails, ids


def keep_screenshot(page, name: str) -> None:
    """Save the whole page as an artefact of the run."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize("role", list(PAGES))
def test_main_pages_fit_a_phone_and_a_laptop(live_server, browser, people, role):
    """At 390 px does no page scroll sideways, with a header under 120 px? At 1366 px is the navigation one line?"""
    emails, ids = people
    problems = []
    for width in (390, 1366):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        if role != "visitor":
            sign_in(page, live_server.url, emails[role])
        for lang in ("zh_CN", "en"):
            page.goto(f"{live_server.url}/lang/{lang}?next=/")
            for path in PAGES[role]:
                page.goto(live_server.url + path.format(**ids), timeout=180_000)  # the first search loads the index
                header = page.locator(".site-header").bounding_box()
                fit = page.evaluate(OVERFLOW)
                limit = 120 if width == 390 else 80
                if header["height"] >= limit:
                    problems.append(f"{width}px {lang} {path}: header {header['height']:.0f} px tall")
                if fit["scroll"] > fit["width"] + 1:
                    problems.append(f"{width}px {lang} {path}: page {fit['scroll']} px wide, {fit['wide']}")
                if path == PAGES[role][0]:
                    keep_screenshot(page, f"{role}-{width}px-{lang}.png")
        context.close()
    assert problems == [], "\n".join(problems)


def test_phone_menu_opens_the_navigation(live_server, page, people):
    """On a phone, is the navigation hidden behind a menu button that opens it (and says so to screen readers)?"""
    emails, _ids = people
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server.url, emails["vendor"])
    toggle = page.locator(".menu-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-nav a[href='/offerings']")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")  # waits for the script, as a person sees the menu open
    page.locator("#site-nav a[href='/offerings']").click()
    page.wait_for_url("**/offerings")


def test_phone_filters_fold_behind_a_button(live_server, page, people):
    """On a phone, does the needs list start within the first screen, with its filters behind a Filters button?"""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/needs/")
    first = page.locator("#results article, #results .card").first.bounding_box()
    assert first is not None and first["y"] < 800
    industry = page.locator("#more-filters select").first
    assert not industry.is_visible()
    page.locator(".filters-toggle").click()
    assert industry.is_visible()
    assert page.locator(".filters-toggle").get_attribute("aria-expanded") == "true"
