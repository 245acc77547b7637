"""Does a vendor revise its proposal's terms on the page through the same rules as a first proposal, with the SME
told each time, and only while the SME has not accepted or declined it?"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.proposals.models import Proposal
from tests.factories import make_need, make_offering, make_proposal, make_user


def world(app, state: str = "submitted"):
    """A vendor's proposal in a state for an SME's need; return (vendor email, SME id, proposal id, need id)."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        need = make_need(sme.organisation)
        offering = make_offering(vendor.organisation)
        proposal = make_proposal(need, vendor, [offering], state=state)
        return vendor.email, sme.id, proposal.id, need.id


def test_the_vendor_revises_its_terms_on_the_page_and_the_sme_is_told(app, client, auth):
    """The form opens filled with the current terms; the revision replaces them, the audit keeps the old price, and
    the SME gets one notification per revision."""
    email, sme_id, proposal_id, need_id = world(app, "shortlisted")
    auth.login(email)
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert f"/proposals/needs/{need_id}/new" in page
    form = client.get(f"/proposals/needs/{need_id}/new").get_data(as_text=True)
    assert 'value="150000.00"' in form and "四周内部署视觉检测工作站并完成验收。" in form
    for price in ("138000", "136000.50"):
        response = client.post(f"/proposals/needs/{need_id}/new",
                               data={"price": price, "plan": "三周交付，含驻场调试与培训。"})
        assert response.status_code == 302
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert (proposal.state, proposal.price_fen, proposal.offerings) == ("shortlisted", 13_600_050, [])
        audits = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.revised")
                                         .order_by(AuditEvent.id)))
        assert [a.detail["previous_price_fen"] for a in audits] == [15_000_000, 13_800_000]
        told = db.session.scalars(select(Notification).where(Notification.user_id == sme_id,
                                                             Notification.kind == "proposal_status")).all()
        assert len(told) == 2


def test_an_accepted_proposal_is_not_revised(app, client, auth):
    """Once the SME accepted, the form sends the vendor back to the proposal and the terms stay."""
    email, _sme_id, proposal_id, need_id = world(app, "accepted")
    auth.login(email)
    response = client.post(f"/proposals/needs/{need_id}/new", data={"price": "1", "plan": "改成一元钱的方案。"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/proposals/{proposal_id}")
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).price_fen == 15_000_000
