"""The SME's workspace shows, per need, the proposals received and what waits for the SME to answer or confirm."""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.main.services import dashboard_for, dashboard_lists
from marketplace.web import paginate
from tests.factories import make_need, make_offering, make_proposal, make_user


def test_counts_per_need_and_what_waits(app, in_app):
    """Are received, to-answer and to-confirm counted per need, invitations and withdrawn ones left out?"""
    sme = make_user("enterprise")
    need, quiet = make_need(sme.organisation), make_need(sme.organisation, title="注塑件飞边检测")
    vendors = [make_user("vendor") for _ in range(5)]
    states = ["submitted", "shortlisted", "accepted", "invited", "withdrawn"]
    for vendor, state in zip(vendors, states, strict=True):
        make_proposal(need, vendor, [make_offering(vendor.organisation)], state=state)
    db.session.commit()
    with app.test_request_context("/dashboard"):
        pages = {name: paginate(stmt, 10, arg=f"{name}_page") for name, stmt in dashboard_lists(sme).items()}
        data = dashboard_for(sme, pages)
    assert data["proposal_counts"][need.id] == {"received": 3, "to_decide": 2, "to_confirm": 1}
    assert quiet.id not in data["proposal_counts"]
    assert data["waiting"] == {"to_decide": 2, "to_confirm": 1}


def test_dashboard_page_says_what_waits(app, client, auth):
    """Does the SME's workspace say how many proposals wait for an answer, in Chinese?"""
    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import User

        sme = db.session.get(User, who.user_id)
        need = make_need(sme.organisation)
        vendor = make_user("vendor")
        make_proposal(need, vendor, [make_offering(vendor.organisation)], state="submitted")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "等待您处理" in page and "1 个方案待答复" in page
