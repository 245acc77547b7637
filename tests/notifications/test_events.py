"""Does every status change a user did not make reach them, exactly once, in the inbox and by e-mail?"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notify
from marketplace.proposals.services import change_proposal, send_proposal
from tests.factories import make_active_agreement, make_need, make_offering, make_profile, make_proposal, make_user


def kinds(user) -> list[str]:
    """Return the kinds of a user's notifications, oldest first."""
    return list(db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


@pytest.fixture
def parties(in_app):
    """An SME, a vendor with a published offering, and a promotion center."""
    sme, vendor, center = make_user("enterprise"), make_user("vendor"), make_user("center")
    return sme, vendor, center, make_offering(vendor.organisation)


def test_each_proposal_step_reaches_the_other_side_once(parties):
    """Received, shortlisted, accepted: one notification each, to the other side only, never to the actor."""
    sme, vendor, _center, offering = parties
    need = make_need(sme.organisation)
    proposal = send_proposal(need, vendor, [offering.id], 100_00, "两周完成样本评估。", "")
    change_proposal(proposal, "shortlist", sme)
    change_proposal(proposal, "accept", sme)
    db.session.commit()
    assert kinds(sme) == ["proposal_received"]
    assert kinds(vendor) == ["proposal_status", "proposal_status"]


def test_accepting_one_proposal_tells_the_other_bidders_the_need_is_in_talks(parties):
    """Other vendors with live proposals hear the need's new status once."""
    sme, vendor, _center, _offering = parties
    rival = make_user("vendor")
    need = make_need(sme.organisation)
    mine = make_proposal(need, vendor)
    make_proposal(need, rival)
    change_proposal(mine, "accept", sme)
    db.session.commit()
    assert kinds(rival) == ["need_status"] and kinds(vendor) == ["proposal_status"]


def test_closing_a_need_tells_vendors_with_live_proposals(parties):
    """The SME closes its need: each live bidder hears it once, a declined one does not."""
    from marketplace.needs.services import change_need_status

    sme, vendor, _center, _offering = parties
    gone = make_user("vendor")
    need = make_need(sme.organisation)
    make_proposal(need, vendor)
    make_proposal(need, gone, state="declined")
    change_need_status(need, "close", sme)
    db.session.commit()
    assert kinds(vendor) == ["need_status"] and kinds(gone) == [] and kinds(sme) == []


def test_order_payment_delivery_and_refund_reach_the_buyer(parties):
    """Paid, delivered and refunded each notify the buyer once; the vendor who acted gets nothing."""
    from marketplace.orders.services import mark_fulfilled, mark_paid, place_order, refund

    sme, vendor, _center, offering = parties
    order, _ = place_order(sme, offering, 1, "n-1")
    db.session.commit()
    mark_paid(order.id, vendor)
    mark_fulfilled(order.id, vendor)
    refund(order.id, vendor, "产线搬迁")
    db.session.commit()
    assert kinds(sme) == ["order_paid", "order_status", "order_status"] and kinds(vendor) == []


def test_a_cancelled_order_reaches_the_vendor(parties):
    """The buyer cancels: the vendor hears it once."""
    from marketplace.orders.services import cancel, place_order

    sme, vendor, _center, offering = parties
    order, _ = place_order(sme, offering, 1, "n-2")
    cancel(order.id, sme)
    db.session.commit()
    assert kinds(vendor) == ["order_cancelled"] and kinds(sme) == []


def test_agreements_awaiting_signature_and_coming_into_force_reach_the_other_party(parties):
    """The SME hears the draft awaits its signature; the vendor hears it came into force when the SME signed."""
    sme, vendor, _center, offering = parties
    make_active_agreement(vendor, sme, [offering])
    assert kinds(sme) == ["agreement_signature"]
    assert kinds(vendor) == ["agreement_status"]


def test_directory_badge_granted_and_removed_reach_the_vendor(parties):
    """Adding to and removing from the quality directory notify the vendor once each; a renewal does not."""
    from marketplace.cases.directory import decide

    _sme, vendor, center, _offering = parties
    profile = make_profile(vendor.organisation)
    later = date.today() + timedelta(days=200)
    decide(profile, "add", "交付质量好", center, review_on=later)
    db.session.commit()
    decide(profile, "renew", "继续保持", center, review_on=later)
    decide(profile, "remove", "资质过期", center)
    db.session.commit()
    assert kinds(vendor) == ["badge_granted", "badge_removed"]


def test_the_same_event_is_never_notified_twice(parties):
    """Calling notify twice with one key leaves one row per user."""
    sme, _vendor, _center, _offering = parties
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-1")
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-1")
    db.session.commit()
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/", "k-1")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_e_mail_is_written_after_commit_and_dropped_on_rollback(parties):
    """The file backend writes one .eml per notification after commit; a rolled-back change sends nothing."""
    sme, _vendor, _center, _offering = parties
    folder = Path(current_app.instance_path) / "mail"
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/needs/1", "k-2")
    db.session.rollback()
    assert not folder.exists() or not list(folder.iterdir())
    notify([sme.organisation_id], "need_status", {"need": "x", "state": "closed"}, "/needs/1", "k-3")
    db.session.commit()
    files = list(folder.iterdir())
    assert len(files) == 1 and sme.email in files[0].read_text()


def test_the_inbox_lists_notifications_and_opening_one_marks_it_read(app, client, auth):
    """The navigation counts unread notifications; opening one marks it read and follows its link."""
    who = auth.as_role("enterprise")
    with app.app_context():
        notify([who.org_id], "need_status", {"need": "抛釉砖针孔", "state": "closed"}, "/needs/", "k-4")
        db.session.commit()
        note_id = db.session.scalar(select(Notification.id))
    page = client.get("/notifications/").get_data(as_text=True)
    assert "抛釉砖针孔" in page and 'count-notifications' in page
    response = client.post(f"/notifications/{note_id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith("/needs/")
    assert "count-notifications" not in client.get("/notifications/").get_data(as_text=True)
