"""Can the two organisations talk in a proposal's thread, see unread counts, and nobody else join in?"""
from __future__ import annotations

import pytest

from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.proposals.services import post_message, unread_messages
from tests.factories import make_need, make_proposal, make_user


@pytest.fixture
def thread(app):
    """A proposal between a new SME and a new vendor; returns their e-mails and the proposal id."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        proposal = make_proposal(make_need(sme.organisation), vendor)
        return sme.email, vendor.email, proposal.id


def test_a_message_reaches_the_other_side_as_an_unread_count(app, client, auth, thread):
    """The vendor's message shows as 1 unread in the SME's navigation until the SME opens the thread."""
    sme_email, vendor_email, proposal_id = thread
    auth.login(vendor_email)
    response = client.post(f"/proposals/{proposal_id}/messages", data={"body": "请提供样本数据。"})
    assert response.status_code == 302
    auth.logout()
    auth.login(sme_email)
    page = client.get("/needs/").get_data(as_text=True)
    assert 'count-messages"' in page and '>1</span>' in page
    client.get(f"/proposals/{proposal_id}")
    page = client.get("/needs/").get_data(as_text=True)
    assert 'count-messages"' not in page


def test_the_thread_fragment_polls_and_shows_links_as_text(app, client, auth, thread):
    """The htmx fragment polls itself and escapes markup, so a link is plain text."""
    _sme_email, vendor_email, proposal_id = thread
    auth.login(vendor_email)
    client.post(f"/proposals/{proposal_id}/messages", data={"body": '见 <a href="http://x.example">资料</a>'},
                headers={"HX-Request": "true"})
    fragment = client.get(f"/proposals/{proposal_id}/messages", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 4s"' in fragment and fragment.lstrip().startswith('<div id="thread"')
    assert "&lt;a href=" in fragment and '<a href="http://x.example"' not in fragment


def test_an_empty_message_is_refused_with_422(app, client, auth, thread):
    """An empty message re-renders the thread with a field message and status 422."""
    _sme_email, vendor_email, proposal_id = thread
    auth.login(vendor_email)
    response = client.post(f"/proposals/{proposal_id}/messages", data={"body": "  "})
    assert response.status_code == 422 and b'id="body-err"' in response.data


def test_outsiders_cannot_post_to_a_thread(in_app):
    """A vendor that is not a party is refused; the parties' unread counts stay apart."""
    sme, vendor, other = make_user("enterprise"), make_user("vendor"), make_user("vendor")
    proposal = make_proposal(make_need(sme.organisation), vendor)
    with pytest.raises(PermissionDenied):
        post_message(proposal, other, "你好")
    with pytest.raises(DomainError):
        post_message(proposal, vendor, "")
    post_message(proposal, vendor, "你好")
    db.session.commit()
    assert unread_messages(sme) == 1 and unread_messages(vendor) == 0 and unread_messages(other) == 0
