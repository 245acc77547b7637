"""Every event route that changes something, against every role and anonymous visitors."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.events.models import Event, EventRegistration, Meeting
from marketplace.extensions import db
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


@pytest.fixture
def records(app):
    """An event run by one center with a need and an offering registered and one meeting scheduled."""
    with app.app_context():
        center = make_user("center")
        event = make_event(center.organisation, held_on=date.today())
        need = make_registration(event, make_need(make_user("enterprise").organisation))
        offering = make_registration(event, make_offering(make_user("vendor").organisation))
        meeting = Meeting(event=event, need_registration=need, offering_registration=offering, slot=0, table_no=1,
                          enterprise_id=need.organisation_id, vendor_id=offering.organisation_id)
        db.session.add(meeting)
        db.session.commit()
        return {"event": event.id, "need_reg": need.id, "offering_reg": offering.id, "meeting": meeting.id}


READ_ROUTES = ["/events/{event}/pairings", "/events/{event}/schedule"]
ORGANISER_ROUTES = ["/events/{event}/edit", "/events/{event}/meetings", "/events/{event}/meetings/{meeting}/cancel",
                    "/events/{event}/meetings/{meeting}/outcome", *READ_ROUTES]
ALL_ROUTES = ["/events/new", "/events/{event}/register", "/events/{event}/registrations/{need_reg}/withdraw",
              *ORGANISER_ROUTES]
ALLOWED = {  # route -> roles that get past the role check (ownership is checked after)
    "/events/new": {"center"},
    "/events/{event}/register": {"enterprise", "vendor"},
    "/events/{event}/registrations/{need_reg}/withdraw": {"enterprise", "vendor", "center"},
}


def unchanged(app, records) -> bool:
    """Tell whether the event, its registrations and its meeting are as the fixture left them."""
    with app.app_context():
        meeting = db.session.get(Meeting, records["meeting"])
        return (meeting is not None and meeting.held is None
                and db.session.scalar(db.select(db.func.count()).select_from(EventRegistration)) == 2
                and db.session.scalar(db.select(db.func.count()).select_from(Event)) == 1
                and db.session.get(Event, records["event"]).title == "佛山陶瓷行业 AI 质检供需对接会")


def form_data(records) -> dict:
    """A submission that would change something if it were accepted."""
    return {"title": "篡改", "held": "yes", "deal": "y", "listing": "1", "need_registration": records["need_reg"],
            "offering_registration": records["offering_reg"], "slot": 1, "table_no": 2}


@pytest.mark.parametrize("url", ALL_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, records, url):
    """Anonymous requests to event actions redirect to the login page and change nothing."""
    method = client.get if url in READ_ROUTES else client.post
    response = method(url.format(**records), data=form_data(records))
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]
    assert unchanged(app, records)


@pytest.mark.parametrize("role", ["enterprise", "vendor", "center"])
@pytest.mark.parametrize("url", ALL_ROUTES)
def test_roles_without_a_stake_get_403_and_nothing_changes(app, client, auth, records, role, url):
    """Outsiders of every role get 403: other centers cannot run this event, outsiders cannot withdraw others."""
    auth.as_role(role)
    method = client.get if url in READ_ROUTES else client.post
    response = method(url.format(**records), data=form_data(records))
    if url == "/events/new" and role == "center":
        assert response.status_code != 403
    elif url == "/events/{event}/register" and role in ALLOWED[url]:
        assert response.status_code == 422  # allowed to register, but not someone else's listing
    else:
        assert response.status_code == 403, (role, url)
    assert unchanged(app, records)


def test_the_organiser_reaches_every_organiser_route(client, auth, app, records):
    """The center that runs the event gets its pages and forms, not 403."""
    with app.app_context():
        organiser = db.session.get(Event, records["event"]).center.users[0].email
    auth.login(organiser)
    for url in ("/events/{event}/edit", "/events/{event}/schedule"):
        assert client.get(url.format(**records)).status_code == 200
