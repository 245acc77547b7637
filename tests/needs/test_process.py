"""Does a need move only along its process, by the right people — the SME closes and reopens, an admin closes
any need as audited moderation with a reason, and talks and contracts follow from proposals only?"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.errors import PermissionDenied
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.process import NEED, page_moves
from marketplace.states import IllegalTransition
from tests.factories import make_need, make_proposal, make_user

STATUSES = ("open", "in_talks", "contracted", "closed")
# The promise, written out on its own: which page move leads where from which status, and who may make it.
MOVES = {
    "close": ({"open": "closed", "in_talks": "closed", "contracted": "closed"}, {"sme"}),
    "reopen": ({"closed": "open", "in_talks": "open"}, {"sme"}),
    "moderate": ({"open": "closed", "in_talks": "closed", "contracted": "closed"}, {"center", "admin"}),
}


@pytest.fixture
def people(in_app):
    """The SME with a need, another SME, a vendor, the center of the SME's city, one of another city and an admin."""
    sme = make_user("enterprise", city="foshan")
    return {"sme": sme, "other_sme": make_user("enterprise"), "vendor": make_user("vendor"),
            "center": make_user("center", city="foshan"), "other_center": make_user("center", city="zhuhai"),
            "admin": make_user("admin")}


def test_every_page_move_from_every_status_by_everyone_follows_the_process(people):
    """Each move from each status by each person ends in the promised status, a refusal, or an illegal move."""
    need = make_need(people["sme"].organisation)
    for action, (moves, who) in MOVES.items():
        for status in STATUSES:
            for name, user in people.items():
                need.status = status
                db.session.commit()
                want = "denied" if name not in who else moves.get(status, "illegal")
                try:
                    NEED.fire(need.id, action, user, reason="重复发布")
                    got = need.status
                except PermissionDenied:
                    got = "denied"
                except IllegalTransition as exc:
                    assert str(exc)
                    got = "illegal"
                assert got == want, (action, status, name)
                db.session.rollback()


def test_the_page_offers_the_owner_close_or_reopen_and_the_moderators_moderation(people):
    """Buttons follow the process: never `start_talks` or `contract`; moderation for admins and the center of the
    SME's city; nothing for vendors, other SMEs or another city's center."""
    need = make_need(people["sme"].organisation)
    names = lambda user: [t.name for t in page_moves(need, user)]  # noqa: E731
    assert names(people["sme"]) == ["close"]
    assert names(people["admin"]) == names(people["center"]) == ["moderate"]
    assert names(people["vendor"]) == names(people["other_center"]) == names(people["other_sme"]) == []
    need.status = "closed"
    assert names(people["sme"]) == ["reopen"] and names(people["admin"]) == []


def test_moderation_needs_a_reason_and_is_audited_with_it(people):
    """An admin closing a need without a reason is refused; with one, the audit row keeps it; bidders are told."""
    from marketplace.notifications.models import Notification

    need = make_need(people["sme"].organisation)
    make_proposal(need, people["vendor"])
    with pytest.raises(IllegalTransition):
        NEED.fire(need.id, "moderate", people["admin"], reason="  ")
    db.session.rollback()
    NEED.fire(need.id, "moderate", people["admin"], reason="重复发布的需求")
    db.session.commit()
    assert db.session.get(Need, need.id).status == "closed"
    row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "need.moderated"))
    assert row.target_id == str(need.id) and row.detail["reason"] == "重复发布的需求"
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "need_status")))
    assert told == {people["vendor"].id, people["sme"].id}


def test_talks_and_contracts_are_not_page_actions(app, client, auth):
    """Posting start_talks or contract to the need's page answers 404; only the proposal process fires them."""
    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        need_id = make_need(db.session.get(Organisation, who.org_id)).id
    for action in ("start_talks", "contract", "explode"):
        assert client.post(f"/needs/{need_id}/{action}").status_code == 404
    with app.app_context():
        assert db.session.get(Need, need_id).status == "open"


def test_an_admin_is_refused_posting_a_need_by_the_rule_and_moderates_through_the_page(app, client, auth):
    """The admin's 403 on /needs/new comes from `need.post`; the need page offers moderation with a reason."""
    with app.app_context():
        sme = make_user("enterprise")
        need_id = make_need(sme.organisation, title="重复发布的窑炉需求").id
    auth.as_role("admin")
    assert client.get("/needs/new").status_code == 403
    assert client.post("/needs/new", data={"title": "管理员代发需求"}).status_code == 403
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert f"/needs/{need_id}/moderate" in page and 'name="reason"' in page and f"/needs/{need_id}/edit" not in page
    assert client.post(f"/needs/{need_id}/close").status_code == 403
    response = client.post(f"/needs/{need_id}/moderate", data={"reason": "重复发布"}, follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Need, need_id).status == "closed"
        assert db.session.scalar(select(Need).where(Need.title == "管理员代发需求")) is None


def test_the_owner_page_shows_close_and_edit_and_a_vendor_sees_neither(app, client, auth):
    """The owner bar carries the process's buttons for the SME; a vendor's page has no need actions."""
    who = auth.as_role("enterprise")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        need_id = make_need(db.session.get(Organisation, who.org_id)).id
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert f"/needs/{need_id}/close" in page and f"/needs/{need_id}/edit" in page
    auth.logout()
    auth.as_role("vendor")
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert f"/needs/{need_id}/close" not in page and f"/needs/{need_id}/moderate" not in page
