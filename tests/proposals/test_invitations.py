"""Does an SME's invitation carry an optional, bounded message to the vendor, and is a repeat a friendly no-op?"""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.notifications.services import render_text
from marketplace.proposals.models import Proposal
from marketplace.proposals.services import INVITATION_MAX
from marketplace.templating import local_date
from tests.factories import make_need, make_user


def flashes(client) -> list[tuple[str, str]]:
    """The (category, message) pairs flashed to the client's session and not yet shown."""
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def invite(client, need_id: int, vendor_org: int, message: str | None = None):
    """Post the invitation form of a need's recommended solutions."""
    data = {"vendor_id": str(vendor_org)}
    if message is not None:
        data["message"] = message
    return client.post(f"/proposals/needs/{need_id}/invite", data=data)


def sign_in(client, auth, email: str) -> None:
    """Sign in and show the welcome flash, so only what follows is left in the session."""
    auth.login(email)
    client.get("/")


def world(app):
    """An SME with a live need and a vendor (ids and the vendor's e-mail)."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        need = make_need(sme.organisation)
        return sme.email, need.id, vendor.organisation_id, vendor.email


def test_the_message_is_stored_and_quoted_in_the_vendors_notification(app, client, auth):
    """The vendor's notification names the need and quotes the SME's message; the invitation keeps it whole."""
    sme_email, need_id, vendor_org, _vendor_email = world(app)
    sign_in(client, auth, sme_email)
    text = "您好，我们有 6000 条历史配方记录，想先做一个两周的小试点，请报试点方案。"
    assert invite(client, need_id, vendor_org, text).status_code == 302
    assert [c for c, _m in flashes(client)] == ["success"]
    with app.test_request_context():
        proposal = db.session.scalar(select(Proposal).where(Proposal.need_id == need_id))
        assert proposal.state == "invited" and proposal.invitation_message == text
        note = db.session.scalar(select(Notification).where(Notification.kind == "invited_message"))
        assert text in render_text(note)


def test_an_invitation_without_a_message_reads_as_before(app, client, auth):
    """No message: the plain "you are invited" notification, and nothing stored as a message."""
    sme_email, need_id, vendor_org, _vendor_email = world(app)
    sign_in(client, auth, sme_email)
    invite(client, need_id, vendor_org, "   ")
    with app.app_context():
        proposal = db.session.scalar(select(Proposal).where(Proposal.need_id == need_id))
        assert proposal.invitation_message is None
        assert db.session.scalar(select(Notification.kind)) == "invited"


def test_a_message_over_the_limit_is_refused_and_nothing_is_sent(app, client, auth):
    """A message longer than INVITATION_MAX is refused with a message; no invitation, no notification."""
    sme_email, need_id, vendor_org, _vendor_email = world(app)
    sign_in(client, auth, sme_email)
    assert invite(client, need_id, vendor_org, "字" * (INVITATION_MAX + 1)).status_code == 302
    assert [c for c, _m in flashes(client)] == ["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_inviting_again_says_when_the_invitation_went_out_and_changes_nothing(app, client, auth):
    """A second POST (a double click, a stale page) is a friendly message with the date, never an error."""
    sme_email, need_id, vendor_org, _vendor_email = world(app)
    sign_in(client, auth, sme_email)
    invite(client, need_id, vendor_org, "第一次邀请")
    client.get("/")  # shows (and so clears) the first flash
    response = invite(client, need_id, vendor_org, "第二次邀请")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/needs/{need_id}")
    shown = flashes(client)
    with app.app_context():
        proposals = db.session.scalars(select(Proposal).where(Proposal.need_id == need_id)).all()
        assert len(proposals) == 1 and proposals[0].invitation_message == "第一次邀请"
        assert [c for c, _m in shown] == ["info"] and local_date(proposals[0].invited_at) in shown[0][1]
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_the_invited_vendor_reads_the_message_on_the_need_page_and_the_proposal_form(app, client, auth):
    """The vendor's block on the need page and its proposal form show the invitation's date and message."""
    sme_email, need_id, vendor_org, vendor_email = world(app)
    sign_in(client, auth, sme_email)
    invite(client, need_id, vendor_org, "请重点说明私有化部署方案")
    auth.logout()
    auth.login(vendor_email)
    block = client.get(f"/proposals/needs/{need_id}/list").get_data(as_text=True)
    assert "请重点说明私有化部署方案" in block
    form = client.get(f"/proposals/needs/{need_id}/new").get_data(as_text=True)
    assert "请重点说明私有化部署方案" in form


def test_the_sme_sees_the_message_it_sent_in_its_proposals_tables(app, client, auth):
    """Do the SME's proposals list and its need's proposals block show the invitation as sent, with its message?"""
    sme_email, need_id, vendor_org, _vendor_email = world(app)
    sign_in(client, auth, sme_email)
    text = "请在下周五前报一个两周试点的方案。"
    invite(client, need_id, vendor_org, text)
    client.get("/lang/en")
    for url in ("/proposals/", f"/proposals/needs/{need_id}/list"):
        page = client.get(url).get_data(as_text=True)
        sent = page[page.index('<div class="invitation-sent">'):]
        assert "Invited on" in sent[:200] and text in sent[:400], url
