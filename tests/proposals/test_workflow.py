"""Does a proposal move only along its process, by the right side, taking the need along with it?"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.notifications.models import Notification
from marketplace.proposals.models import Proposal, ProposalState
from marketplace.proposals.process import PROPOSAL, page_moves
from marketplace.proposals.services import change_proposal, confirm_contract, invite_vendor, send_proposal
from marketplace.states import IllegalTransition
from tests.factories import make_need, make_offering, make_proposal, make_user


@pytest.fixture
def deal(in_app):
    """An SME with an open need, a vendor with a published offering, another vendor and a center."""
    sme = make_user("enterprise")
    vendor = make_user("vendor")
    other = make_user("vendor")
    center = make_user("center")
    need = make_need(sme.organisation)
    offering = make_offering(vendor.organisation)
    return sme, vendor, other, center, need, offering


def notes(user, kind=None):
    """Return a user's notifications (of one kind)."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def test_vendor_sends_a_proposal_with_its_own_offerings_and_the_sme_hears_once(deal):
    """A proposal is stored as submitted with the offering attached; the SME gets one notification."""
    sme, vendor, _other, _center, need, offering = deal
    proposal = send_proposal(need, vendor, [offering.id], 12_800_000, "四周交付并驻场调试。", "")
    db.session.commit()
    assert proposal.state == "submitted" and proposal.offerings == [offering]
    assert len(notes(sme, "proposal_received")) == 1
    assert notes(vendor) == []


def test_a_proposal_cannot_attach_another_vendors_offering(deal):
    """Offerings of another vendor (or unpublished ones) are refused on the offerings field."""
    _sme, vendor, other, _center, need, _offering = deal
    foreign = make_offering(other.organisation)
    draft = make_offering(vendor.organisation, state="draft")
    for offering in (foreign, draft):
        with pytest.raises(DomainError) as exc:
            send_proposal(need, vendor, [offering.id], 100, "四周交付并驻场调试。", "")
        assert exc.value.field == "offerings"
        db.session.rollback()


def test_only_vendors_send_proposals(deal):
    """An SME or a center cannot send a proposal."""
    sme, _vendor, _other, center, need, _offering = deal
    for user in (sme, center):
        with pytest.raises(PermissionDenied):
            send_proposal(need, user, [], 100, "plan text here", "")


def test_the_sme_invites_a_vendor_who_then_answers_with_a_proposal(deal):
    """An invitation is a proposal in state invited; answering it submits it; a second invite is refused."""
    sme, vendor, _other, _center, need, offering = deal
    proposal = invite_vendor(need, vendor.organisation_id, sme)
    db.session.commit()
    assert proposal.state == "invited" and len(notes(vendor, "invited")) == 1
    with pytest.raises(DomainError):
        invite_vendor(need, vendor.organisation_id, sme)
    db.session.rollback()
    send_proposal(need, vendor, [offering.id], 9_900_000, "两周完成样本评估。", "")
    db.session.commit()
    assert proposal.state == "submitted"


def test_only_the_owner_invites_and_only_vendors_are_invited(deal):
    """Another SME cannot invite for this need; a center cannot be invited."""
    sme, vendor, _other, center, need, _offering = deal
    stranger = make_user("enterprise")
    with pytest.raises(PermissionDenied):
        invite_vendor(need, vendor.organisation_id, stranger)
    with pytest.raises(DomainError):
        invite_vendor(need, center.organisation_id, sme)


# The promise, written out independently of the process table: who may make each move, from which state, to where.
WHO = {"shortlist": {"sme"}, "accept": {"sme"}, "decline": {"sme"}, "decline_invitation": {"vendor"},
       "withdraw": {"vendor"}}
MOVES = {
    "shortlist": {"submitted": "shortlisted"},
    "accept": {"submitted": "accepted", "shortlisted": "accepted"},
    "decline": {"invited": "declined", "submitted": "declined", "shortlisted": "declined"},
    "decline_invitation": {"invited": "declined"},
    "withdraw": {"submitted": "withdrawn", "shortlisted": "withdrawn", "accepted": "withdrawn"},
}


def expected(state: str, action: str, actor: str) -> str:
    """Return the outcome promised: the new state, 'denied' or 'illegal'."""
    if actor not in WHO[action]:
        return "denied"
    return MOVES[action].get(state, "illegal")


def test_every_move_from_every_state_by_every_actor_follows_the_process(deal):
    """Each move from each state, by the SME, the vendor, another vendor, another SME, a center and an admin."""
    sme, vendor, other, center, need, _offering = deal
    proposal = make_proposal(need, vendor)
    actors = {"sme": sme, "vendor": vendor, "other": other, "other_sme": make_user("enterprise"),
              "center": center, "admin": make_user("admin")}
    for state in ProposalState:
        for action in WHO:
            for name, user in actors.items():
                proposal.state = state.value
                db.session.commit()
                want = expected(state.value, action, name)
                try:
                    change_proposal(proposal, action, user)
                    got = proposal.state
                except PermissionDenied:
                    got = "denied"
                except IllegalTransition as exc:
                    assert str(exc)
                    got = "illegal"
                assert got == want, (state.value, action, name)
                db.session.rollback()


def test_the_page_offers_exactly_the_moves_each_side_may_make(deal):
    """The proposal page's buttons: the SME shortlists/accepts/declines, the vendor withdraws; outsiders get none."""
    sme, vendor, other, center, need, _offering = deal
    proposal = make_proposal(need, vendor)
    names = lambda user: [t.name for t in page_moves(proposal, user)]  # noqa: E731
    assert names(sme) == ["shortlist", "accept", "decline"]
    assert names(vendor) == ["withdraw"]
    assert names(other) == names(center) == names(make_user("admin")) == []
    proposal.state = "invited"
    assert names(vendor) == ["decline_invitation"] and names(sme) == ["decline"]
    proposal.state = "accepted"
    assert names(sme) == ["confirm"] and names(vendor) == ["withdraw", "confirm"]


def test_a_vendor_declines_an_invitation_and_the_sme_hears_it(deal):
    """Declining an invitation ends it; the SME is told; the vendor cannot decline a proposal it already sent."""
    sme, vendor, _other, _center, need, _offering = deal
    proposal = invite_vendor(need, vendor.organisation_id, sme)
    db.session.commit()
    change_proposal(proposal, "decline_invitation", vendor)
    db.session.commit()
    assert proposal.state == "declined" and len(notes(sme, "proposal_status")) == 1


def test_moves_are_audited(deal):
    """Each move leaves an audit row naming the proposal."""
    from marketplace.audit.models import AuditEvent

    sme, vendor, _other, _center, need, _offering = deal
    proposal = make_proposal(need, vendor)
    change_proposal(proposal, "shortlist", sme)
    db.session.commit()
    rows = db.session.execute(select(AuditEvent.action, AuditEvent.target_id)).all()
    assert ("proposal.shortlisted", str(proposal.id)) in rows


def test_accepting_starts_talks_and_both_confirmations_contract_the_need(deal):
    """Accept moves the need to in talks; the contract needs both sides' confirmation, then both are contracted."""
    sme, vendor, _other, _center, need, _offering = deal
    proposal = make_proposal(need, vendor, state="shortlisted")
    change_proposal(proposal, "accept", sme)
    db.session.commit()
    assert need.status == "in_talks"
    confirm_contract(proposal, sme)
    db.session.commit()
    assert proposal.state == "accepted" and need.status == "in_talks"
    with pytest.raises(IllegalTransition):
        confirm_contract(proposal, sme)
    db.session.rollback()
    confirm_contract(proposal, vendor)
    db.session.commit()
    assert proposal.state == "contracted"
    assert db.session.get(Need, need.id).status == "contracted"
    assert len(notes(vendor, "proposal_status")) == 2 and len(notes(sme, "proposal_status")) == 1


def test_a_contract_cannot_be_confirmed_before_acceptance(deal):
    """Confirming a submitted proposal is refused with a message."""
    sme, vendor, _other, _center, need, _offering = deal
    proposal = make_proposal(need, vendor)
    with pytest.raises(IllegalTransition, match="."):
        confirm_contract(proposal, sme)


def test_the_proposal_form_keeps_input_and_marks_fields(app, client, auth):
    """A proposal without a plan re-renders with 422, the typed price kept and a message on the plan field."""
    with app.app_context():
        need_id = make_need(make_user("enterprise").organisation).id
    auth.as_role("vendor")
    response = client.post(f"/proposals/needs/{need_id}/new", data={"price": "128000.50", "plan": ""})
    assert response.status_code == 422
    assert b'value="128000.50"' in response.data and b'id="plan-err"' in response.data


def test_the_price_typed_in_yuan_is_stored_in_fen(app, client, auth):
    """128000.50 yuan becomes 12,800,050 fen and the vendor lands on the proposal page."""
    with app.app_context():
        need_id = make_need(make_user("enterprise").organisation).id
    who = auth.as_role("vendor")
    with app.app_context():
        from marketplace.accounts.models import Organisation
        offering_id = make_offering(db.session.get(Organisation, who.org_id)).id
    response = client.post(f"/proposals/needs/{need_id}/new",
                           data={"price": "128000.50", "plan": "四周交付并驻场调试。", "offerings": [offering_id]})
    assert response.status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.price_fen == 12_800_050 and [o.id for o in proposal.offerings] == [offering_id]


def test_an_illegal_move_through_the_page_is_refused_with_a_message(app, client, auth):
    """Accepting a declined proposal flashes why; a vendor trying to accept gets 403."""
    with app.app_context():
        vendor = make_user("vendor")
        sme = make_user("enterprise")
        proposal_id = make_proposal(make_need(sme.organisation), vendor, state="declined").id
        sme_email, vendor_email = sme.email, vendor.email
    auth.login(sme_email)
    response = client.post(f"/proposals/{proposal_id}/accept", follow_redirects=True)
    assert b"flash-error" in response.data
    auth.logout()
    auth.login(vendor_email)
    assert client.post(f"/proposals/{proposal_id}/accept").status_code == 403


def test_outsiders_cannot_read_a_proposal(app, client, auth):
    """Another vendor gets 404 on someone else's proposal and its thread."""
    with app.app_context():
        proposal_id = make_proposal(make_need(make_user("enterprise").organisation), make_user("vendor")).id
    auth.as_role("vendor")
    assert client.get(f"/proposals/{proposal_id}").status_code == 404
    assert client.get(f"/proposals/{proposal_id}/messages").status_code == 404


def test_the_owner_sees_an_invite_button_per_card_only(app, client, auth, monkeypatch):
    """The 推荐方案 fragment carries invite forms for the need's owner, none for others."""
    from marketplace.matching import views as matching_views
    from marketplace.matching.services import Match

    with app.app_context():
        sme = make_user("enterprise")
        vendor = make_user("vendor")
        need = make_need(sme.organisation)
        offering_id = make_offering(vendor.organisation).id
        need_id, sme_email = need.id, sme.email

    def fake_rank(need, user, filters=None):
        """Rank the one offering."""
        from marketplace.catalog.models import Offering

        return {"offering": [Match(kind="offering", record=db.session.get(Offering, offering_id), relevance=0.9)],
                "model": [], "provider": [], "case": []}

    monkeypatch.setattr(matching_views, "rank_for_need", fake_rank)
    auth.login(sme_email)
    assert b"/invite" in client.get(f"/needs/{need_id}/solutions").data
    auth.logout()
    auth.as_role("vendor")
    assert b"/invite" not in client.get(f"/needs/{need_id}/solutions").data


def test_the_proposal_page_shows_each_viewer_its_moves(app, client, auth):
    """The SME sees shortlist/accept/decline, the vendor withdraw, a center none; a contracted deal offers the
    SME a review once."""
    with app.app_context():
        sme, vendor, center = make_user("enterprise"), make_user("vendor"), make_user("center")
        proposal = make_proposal(make_need(sme.organisation), vendor)
        proposal_id, emails = proposal.id, (sme.email, vendor.email, center.email)

    def page(email) -> str:
        """Return the proposal page as one user."""
        auth.logout()
        auth.login(email)
        return client.get(f"/proposals/{proposal_id}").get_data(as_text=True)

    base = f"/proposals/{proposal_id}/"
    sme_page = page(emails[0])
    assert all(base + a in sme_page for a in ("shortlist", "accept", "decline")) and base + "withdraw" not in sme_page
    vendor_page = page(emails[1])
    assert base + "withdraw" in vendor_page and base + "accept" not in vendor_page
    center_page = page(emails[2])
    assert not any(base + a in center_page for a in ("shortlist", "accept", "decline", "withdraw", "confirm"))
    assert 'id="body"' not in center_page
    with app.app_context():
        db.session.get(Proposal, proposal_id).state = "contracted"
        db.session.commit()
    assert f"/reviews/new/proposal/{proposal_id}" in page(emails[0])
    assert f"/reviews/new/proposal/{proposal_id}" not in page(emails[1])
