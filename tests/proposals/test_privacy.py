"""Does a registered-only need keep the SME's name and contact from vendors until the SME accepts them?"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.proposals.models import Proposal
from tests.factories import make_need, make_offering, make_proposal, make_user

SECRET_NAME = "保密陶瓷股份有限公司"
SECRET_CONTACT = "13800009999"


@pytest.fixture
def hidden_need(app):
    """A registered-only need of an SME with a recognisable name and phone, and a vendor's submitted proposal."""
    with app.app_context():
        sme = make_user("enterprise", name=SECRET_NAME, contact_name="林经理", phone=SECRET_CONTACT)
        vendor = make_user("vendor")
        need = make_need(sme.organisation, visibility="registered", title="釉面针孔在线检测")
        proposal = make_proposal(need, vendor)
        return dict(sme=sme.email, vendor=vendor.email, need=need.id, proposal=proposal.id)


def need_pages(client, ids) -> dict[str, str]:
    """Fetch every page and API response that shows the need (and the proposal) as the signed-in user."""
    pages = {
        "list": client.get("/needs/"),
        "detail": client.get(f"/needs/{ids['need']}"),
        "proposals": client.get("/proposals/"),
        "proposal": client.get(f"/proposals/{ids['proposal']}"),
        "thread": client.get(f"/proposals/{ids['proposal']}/messages", headers={"HX-Request": "true"}),
        "api_list": client.get("/api/v1/needs"),
        "api_detail": client.get(f"/api/v1/needs/{ids['need']}"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: text_of(r) for name, r in pages.items()}


def text_of(response) -> str:
    """Return a response's text, with JSON decoded so names can be looked for."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


def test_a_vendor_sees_neither_name_nor_contact_before_acceptance(client, auth, hidden_need):
    """Every page and API answer hides the SME's name and phone from a vendor whose proposal is not accepted."""
    auth.login(hidden_need["vendor"])
    for name, text in need_pages(client, hidden_need).items():
        assert "釉面针孔在线检测" in text or name == "thread", name
        assert SECRET_NAME not in text and SECRET_CONTACT not in text, name


def test_acceptance_reveals_the_name_and_contact_to_that_vendor_only(app, client, auth, hidden_need):
    """Once the SME accepts its proposal, the vendor sees the name and contact; another vendor still does not."""
    with app.app_context():
        proposal = db.session.get(Proposal, hidden_need["proposal"])
        proposal.state = "accepted"
        db.session.get(Need, hidden_need["need"]).status = "in_talks"
        db.session.commit()
    auth.login(hidden_need["vendor"])
    pages = need_pages(client, hidden_need)
    for name in ("list", "detail", "proposals", "proposal", "api_list", "api_detail"):
        assert SECRET_NAME in pages[name], name
    assert SECRET_CONTACT in pages["proposal"]
    auth.logout()
    auth.as_role("vendor")
    for response in (client.get("/needs/"), client.get(f"/needs/{hidden_need['need']}"), client.get("/api/v1/needs")):
        assert SECRET_NAME not in text_of(response)


def test_the_owner_and_centers_see_the_name_visitors_do_not_see_the_need(client, auth, hidden_need):
    """The SME and a promotion center see the name; a visitor gets neither the need nor the name."""
    auth.login(hidden_need["sme"])
    assert SECRET_NAME in client.get(f"/needs/{hidden_need['need']}").get_data(as_text=True)
    auth.logout()
    auth.as_role("center")
    assert SECRET_NAME in text_of(client.get("/api/v1/needs"))
    auth.logout()
    assert client.get(f"/needs/{hidden_need['need']}").status_code == 302
    assert SECRET_NAME not in client.get("/api/v1/needs").get_data(as_text=True)
    assert client.get(f"/api/v1/needs/{hidden_need['need']}").status_code == 403


def test_search_results_and_leads_hide_the_name(app, client, auth):
    """With the real index: search results and leads show the need without the SME name; a long-stale need is no lead."""
    with app.app_context():
        sme = make_user("enterprise", name=SECRET_NAME, phone=SECRET_CONTACT)
        vendor = make_user("vendor")
        need = make_need(sme.organisation, visibility="registered", title="抛釉砖表面针孔视觉检测")
        offering = make_offering(vendor.organisation, title="瓷砖表面缺陷视觉检测系统",
                                 description="检测抛釉砖针孔、色差、缺釉等表面缺陷。", industries=["ceramics_building"])
        stale = make_need(sme.organisation, title="抛釉砖针孔缺陷检测（已过期）",
                          deadline=date.today() - timedelta(days=30))
        app.extensions["matching"].index()
        need_id, offering_id, vendor_email, stale_id = need.id, offering.id, vendor.email, stale.id
    auth.login(vendor_email)
    results = client.get("/search", query_string={"q": "抛釉砖 针孔 检测", "kind": "need"}).get_data(as_text=True)
    assert f"/needs/{need_id}" in results and SECRET_NAME not in results
    leads = client.get(f"/listings/offering/{offering_id}/matches").get_data(as_text=True)
    assert f"/needs/{need_id}" in leads and SECRET_NAME not in leads and SECRET_CONTACT not in leads
    assert f"/needs/{stale_id}\"" not in leads


def test_needs_in_talks_stay_among_the_leads(app, client, auth):
    """A live need the SME is already discussing with someone is still a lead (live = open or in talks)."""
    with app.app_context():
        sme = make_user("enterprise")
        vendor = make_user("vendor")
        talking = make_need(sme.organisation, title="抛釉砖表面针孔视觉检测", status="in_talks")
        closed = make_need(sme.organisation, title="抛釉砖针孔缺陷检测二期", status="closed")
        offering = make_offering(vendor.organisation, title="瓷砖表面缺陷视觉检测系统",
                                 description="检测抛釉砖针孔、色差、缺釉等表面缺陷。", industries=["ceramics_building"])
        app.extensions["matching"].index()
        ids = {"talking": talking.id, "closed": closed.id, "offering": offering.id, "vendor": vendor.email}
    auth.login(ids["vendor"])
    leads = client.get(f"/listings/offering/{ids['offering']}/matches").get_data(as_text=True)
    assert f"/needs/{ids['talking']}\"" in leads and f"/needs/{ids['closed']}\"" not in leads
