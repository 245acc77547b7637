"""Do promotion centers curate their own cases through the state table, and do cases show where they belong?"""
from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.accounts.models import Organisation
from marketplace.cases.models import Case, CaseResult
from marketplace.cases.services import transition_case
from marketplace.extensions import db
from marketplace.states import IllegalTransition
from tests.factories import make_case, make_offering, make_profile, make_user


def case_form(**overrides) -> dict:
    """Return a valid case form submission with one measured result."""
    data = {"title": "注塑件外观 AI 质检降低漏检", "enterprise_name": "中山市某注塑企业", "industry": "mould_plastics",
            "scenario": "online_inspection", "city": "zhongshan", "problem": "人工目检漏检率高，夜班尤甚。",
            "solution": "产线加装视觉工作站，缺陷自动剔除。", "investment": "380000", "year": "2025",
            "vendor_id": "", "offering_id": "", "need_id": "",
            "results-0-indicator": "漏检率", "results-0-before": "3.2", "results-0-after": "0.4",
            "results-0-unit": "%", "results-0-better": "lower"}
    data.update(overrides)
    return data


def test_center_creates_a_case_as_a_draft_with_structured_results(app, client, auth):
    """A center's new case is saved as a draft with its result rows; the improvement is computed from them."""
    who = auth.as_role("center")
    response = client.post("/cases/new", data=case_form())
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.state == "draft" and case.center_id == who.org_id and case.investment_fen == 38_000_000
        [result] = case.results
        assert (result.indicator, result.before, result.after, result.unit) == ("漏检率", Decimal("3.2"),
                                                                             Decimal("0.4"), "%")
        assert result.improvement_percent == Decimal("87.5")
    page = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert '<span class="change change-better" title="improvement">down 87.5%' in page and "+87.5%" not in page


def test_improvement_follows_the_better_direction():
    """A fall is an improvement where lower is better, a rise where higher is better; no direction, no claim."""
    assert CaseResult(before=Decimal(80), after=Decimal(92), better="higher").improvement_percent == Decimal("15.0")
    assert CaseResult(before=Decimal(80), after=Decimal(92), better="lower").improvement_percent == Decimal("-15.0")
    assert CaseResult(before=Decimal(80), after=Decimal(92), better=None).improvement_percent is None
    assert CaseResult(before=Decimal(0), after=Decimal(5), better="higher").improvement_percent is None


def test_invalid_case_form_is_shown_again_with_input_kept_and_field_messages(app, client, auth):
    """A case without a title and with a half-filled result row comes back 422 with the typed text kept."""
    auth.as_role("center")
    response = client.post("/cases/new", data=case_form(title="", **{"results-1-indicator": "良率"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "中山市某注塑企业" in page and 'value="良率"' in page
    assert page.count('class="error"') >= 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 0


def test_offering_of_another_provider_is_refused_and_offering_alone_names_its_provider(app, client, auth):
    """A case cannot claim a provider's offering for another provider; the offering alone sets its provider."""
    auth.as_role("center")
    with app.app_context():
        vendor, other = make_user("vendor").organisation, make_user("vendor").organisation
        offering_id, vendor_id, other_id = make_offering(vendor).id, vendor.id, other.id
    refused = client.post("/cases/new", data=case_form(vendor_id=str(other_id), offering_id=str(offering_id)))
    assert refused.status_code == 422
    assert 'id="offering_id-err"' in refused.get_data(as_text=True)
    accepted = client.post("/cases/new", data=case_form(offering_id=str(offering_id)))
    assert accepted.status_code == 302
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.vendor_id == vendor_id and case.offering_id == offering_id


def test_case_moves_only_along_the_transition_table(app, client, auth):
    """draft → published → featured → published → draft works; featuring a draft is refused and changes nothing."""
    who = auth.as_role("center")
    with app.app_context():
        case_id = make_case(db.session.get(Organisation, who.org_id), state="draft").id
    assert client.post(f"/cases/{case_id}/feature").status_code == 302
    with app.app_context():
        assert db.session.get(Case, case_id).state == "draft"
    for action, expected in (("publish", "published"), ("feature", "featured"), ("unfeature", "published"),
                             ("feature", "featured"), ("unpublish", "draft")):
        client.post(f"/cases/{case_id}/{action}")
        with app.app_context():
            assert db.session.get(Case, case_id).state == expected, action


def test_publishing_needs_a_measured_result(in_app):
    """A case without results cannot go public."""
    center = make_user("center")
    case = make_case(center.organisation, state="draft", results=[])
    with pytest.raises(IllegalTransition):
        transition_case(case, "publish", center)
    assert case.state == "draft"


def test_draft_is_hidden_from_the_public_but_shown_to_its_center(app, client, auth):
    """Visitors get 404 for a draft; the curating center reads it with its actions."""
    with app.app_context():
        center = make_user("center")
        case_id = make_case(center.organisation, state="draft").id
        email = center.email
    assert client.get(f"/cases/{case_id}").status_code == 404
    auth.login(email)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"/cases/{case_id}/publish" in page


def test_center_cannot_change_another_centers_case(app, client, auth):
    """Another center gets 403 on edit and state changes, and the case stays as it was."""
    with app.app_context():
        case_id = make_case(make_user("center").organisation, state="published").id
    auth.as_role("center")
    assert client.post(f"/cases/{case_id}/edit", data=case_form(title="篡改")).status_code == 403
    assert client.post(f"/cases/{case_id}/unpublish").status_code == 403
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.state == "published" and case.title != "篡改"


def test_edit_keeps_results_and_replaces_them_with_the_submitted_rows(app, client, auth):
    """Editing shows the stored result rows and saves the submitted ones in their place."""
    who = auth.as_role("center")
    with app.app_context():
        case_id = make_case(db.session.get(Organisation, who.org_id)).id
    form = client.get(f"/cases/{case_id}/edit").get_data(as_text=True)
    assert 'value="漏检率"' in form
    client.post(f"/cases/{case_id}/edit", data=case_form(**{"results-0-indicator": "良率", "results-0-before": "92",
                                                            "results-0-after": "98.5", "results-0-better": "higher"}))
    with app.app_context():
        [result] = db.session.get(Case, case_id).results
        assert result.indicator == "良率" and result.improvement_percent == Decimal("7.1")


def test_provider_and_offering_pages_show_the_published_cases_they_delivered(app, client):
    """The catalogue pages list public cases delivered by the provider or with the offering, never drafts."""
    with app.app_context():
        center = make_user("center").organisation
        vendor = make_user("vendor").organisation
        profile_id, offering = make_profile(vendor).id, make_offering(vendor)
        make_case(center, title="已发布的交付案例", vendor=vendor, offering=offering)
        make_case(center, title="尚未发布的草稿案例", vendor=vendor, offering=offering, state="draft")
        offering_id = offering.id
    for url in (f"/providers/{profile_id}", f"/offerings/{offering_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "已发布的交付案例" in page and "尚未发布的草稿案例" not in page, url
