"""Event pages: organiser tools only for the organiser, admins read without running, withdrawals while open."""
from __future__ import annotations

from datetime import date, timedelta

from marketplace.accounts.models import Organisation
from marketplace.events.models import Meeting
from marketplace.extensions import db
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


def test_admin_is_not_told_it_runs_a_centers_event(app, client, auth):
    """An admin reads the event and its schedule but gets no organiser bar, forms or buttons, and cannot edit."""
    with app.app_context():
        event = make_event(make_user("center").organisation, held_on=date.today())
        need = make_registration(event, make_need(make_user("enterprise").organisation))
        offering = make_registration(event, make_offering(make_user("vendor").organisation))
        db.session.add(Meeting(event=event, need_registration=need, offering_registration=offering, slot=0,
                               table_no=1, enterprise_id=need.organisation_id, vendor_id=offering.organisation_id))
        db.session.commit()
        event_id = event.id
    auth.as_role("admin")
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "本活动由您主办" not in page and "You run this event" not in page
    assert client.get(f"/events/{event_id}/edit").status_code == 403
    assert client.get(f"/events/{event_id}/pairings").status_code == 403
    schedule = client.get(f"/events/{event_id}/schedule")
    assert schedule.status_code == 200
    text = schedule.get_data(as_text=True)
    assert "/outcome" not in text and "/cancel" not in text and 'name="need_registration"' not in text


def test_organiser_gets_outcome_and_cancel_on_the_day(app, client, auth):
    """The organiser's schedule on the event day offers recording and cancelling the pending meeting."""
    with app.app_context():
        center = make_user("center")
        event = make_event(center.organisation, held_on=date.today())
        need = make_registration(event, make_need(make_user("enterprise").organisation))
        offering = make_registration(event, make_offering(make_user("vendor").organisation))
        meeting = Meeting(event=event, need_registration=need, offering_registration=offering, slot=0, table_no=1,
                          enterprise_id=need.organisation_id, vendor_id=offering.organisation_id)
        db.session.add(meeting)
        db.session.commit()
        event_id, meeting_id, email = event.id, meeting.id, center.email
    auth.login(email)
    text = client.get(f"/events/{event_id}/schedule").get_data(as_text=True)
    assert f"/meetings/{meeting_id}/outcome" in text and f"/meetings/{meeting_id}/cancel" in text
    assert client.post(f"/events/{event_id}/meetings/{meeting_id}/outcome", data={"held": "yes", "deal": "y"}) \
        .status_code == 302
    text = client.get(f"/events/{event_id}/schedule").get_data(as_text=True)
    assert f"/meetings/{meeting_id}/outcome" in text and f"/meetings/{meeting_id}/cancel" not in text


def test_withdraw_is_offered_only_while_registration_is_open(app, client, auth):
    """A participant sees the withdraw button before the event and not once it has taken place."""
    who = auth.as_role("enterprise")
    with app.app_context():
        org = db.session.get(Organisation, who.org_id)
        event = make_event(make_user("center").organisation)
        registration = make_registration(event, make_need(org))
        event_id, url = event.id, f"/events/{event.id}/registrations/{registration.id}/withdraw"
    assert url in client.get(f"/events/{event_id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(type(event), event_id).held_on = date.today() - timedelta(days=1)
        db.session.commit()
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert url not in page


def test_index_buttons_follow_the_rules(client, auth):
    """Centers get “new event”; SMEs and vendors “my schedule”; admins neither."""
    for role, new, mine in (("center", True, False), ("enterprise", False, True), ("vendor", False, True),
                            ("admin", False, False)):
        auth.as_role(role)
        page = client.get("/events/").get_data(as_text=True)
        assert ('href="/events/new"' in page, 'href="/events/mine"' in page) == (new, mine), role
        auth.logout()
