"""Do events take registrations, schedule meetings without double booking, and record outcomes?"""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import Organisation
from marketplace.errors import DomainError, PermissionDenied
from marketplace.events.models import Event, EventRegistration, Meeting
from marketplace.events.services import (
    first_free_place,
    record_outcome,
    register_need,
    register_offering,
    schedule_meeting,
)
from marketplace.extensions import db
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


@pytest.fixture
def fair(in_app):
    """An event (2 tables × 3 slots) run by a center, with two SMEs' needs and two vendors' offerings registered."""
    center = make_user("center")
    event = make_event(center.organisation)
    smes = [make_user("enterprise") for _ in range(2)]
    vendors = [make_user("vendor") for _ in range(2)]
    needs = [make_registration(event, make_need(u.organisation, title=f"需求{i}")) for i, u in enumerate(smes)]
    offerings = [make_registration(event, make_offering(u.organisation, title=f"方案{i}")) for i, u in enumerate(vendors)]
    return {"center": center, "event": event, "smes": smes, "vendors": vendors, "needs": needs, "offerings": offerings}


def event_form(**overrides) -> dict:
    """Return a valid event form submission."""
    data = {"title": "东莞模具行业 AI 供需对接会", "description": "", "held_on": (date.today() + timedelta(days=20)).isoformat(),
            "starts_at": "14:00", "city": "dongguan", "venue": "松山湖", "industries": ["mould_plastics"],
            "scenarios": ["process_design"], "capacity": "30", "table_count": "4", "slot_count": "6",
            "slot_minutes": "20"}
    data.update(overrides)
    return data


def test_center_creates_an_event_and_bad_input_comes_back_with_messages(app, client, auth):
    """A valid event is saved for the center; a zero capacity and no focus return 422 with the input kept."""
    who = auth.as_role("center")
    bad = client.post("/events/new", data=event_form(capacity="0", industries=[], scenarios=[]))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "东莞模具行业 AI 供需对接会" in page
    assert 'id="capacity-err"' in page and 'id="scenarios-err"' in page
    good = client.post("/events/new", data=event_form())
    assert good.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        assert (event.center_id, event.capacity, event.scenarios, event.starts_at) == \
            (who.org_id, 30, ["process_design"], time(14, 0))


def test_sme_and_vendor_register_their_own_listings_through_the_page(app, client, auth):
    """An SME registers its need and a vendor its offering; each then sees the registration on the event page."""
    with app.app_context():
        event_id = make_event(make_user("center").organisation).id
    sme = auth.as_role("enterprise")
    with app.app_context():
        need_id = make_need(db.session.get(Organisation, sme.org_id)).id
    assert client.post(f"/events/{event_id}/register", data={"listing": str(need_id)}).status_code == 302
    assert "抛釉砖表面针孔检测" in client.get(f"/events/{event_id}").get_data(as_text=True)
    auth.logout()
    vendor = auth.as_role("vendor")
    with app.app_context():
        offering_id = make_offering(db.session.get(Organisation, vendor.org_id)).id
    assert client.post(f"/events/{event_id}/register", data={"listing": str(offering_id)}).status_code == 302
    with app.app_context():
        kinds = sorted((r.need_id is not None, r.offering_id is not None) for r in
                       db.session.scalars(db.select(EventRegistration)))
        assert kinds == [(False, True), (True, False)]


def test_registration_refuses_other_organisations_listings_duplicates_past_events_and_full_events(fair):
    """Registering someone else's need is forbidden; a second registration, a past event or a full event is refused."""
    event, smes = fair["event"], fair["smes"]
    other_need = make_need(smes[0].organisation, title="另一个需求")
    with pytest.raises(PermissionDenied):
        register_need(event, other_need, smes[1])
    with pytest.raises(DomainError):
        register_need(event, fair["needs"][0].need, smes[0])
    with pytest.raises(DomainError):
        register_need(event, other_need, smes[0], today=event.held_on + timedelta(days=1))
    event.capacity = 4
    newcomer = make_user("vendor")
    with pytest.raises(DomainError):
        register_offering(event, make_offering(newcomer.organisation), newcomer)
    registration = register_need(event, other_need, smes[0])
    assert registration.event is event


def test_service_refuses_to_double_book_a_table_or_an_organisation(fair):
    """A second meeting at a taken table, or with an organisation already meeting someone, in that slot is refused."""
    event, center = fair["event"], fair["center"]
    need0, need1 = fair["needs"]
    off0, off1 = fair["offerings"]
    schedule_meeting(event, need0, off0, 0, 1, center)
    with pytest.raises(DomainError):
        schedule_meeting(event, need1, off1, 0, 1, center)  # table 1 is taken at 14:00
    with pytest.raises(DomainError):
        schedule_meeting(event, need0, off1, 0, 2, center)  # SME 0 is busy at 14:00
    with pytest.raises(DomainError):
        schedule_meeting(event, need1, off0, 0, 2, center)  # vendor 0 is busy at 14:00
    with pytest.raises(DomainError):
        schedule_meeting(event, need0, off0, 1, 1, center)  # the same pair twice
    schedule_meeting(event, need1, off1, 0, 2, center)
    db.session.commit()
    assert [(m.slot, m.table_no) for m in event.meetings] == [(0, 1), (0, 2)]
    assert first_free_place(event, need0.organisation_id, off1.organisation_id) == (1, 1)


@pytest.mark.parametrize("clash", ["table", "enterprise", "vendor"])
def test_database_refuses_a_double_booking_the_service_did_not_see(fair, clash):
    """Rows written past the service (two racing requests) still cannot double-book: the unique constraints refuse."""
    event = fair["event"]
    need0, need1 = fair["needs"]
    off0, off1 = fair["offerings"]
    db.session.add(Meeting(event=event, need_registration=need0, offering_registration=off0, slot=0, table_no=1,
                           enterprise_id=need0.organisation_id, vendor_id=off0.organisation_id))
    db.session.commit()
    second = {"table": (need1, off1, 1), "enterprise": (need0, off1, 2), "vendor": (need1, off0, 2)}[clash]
    db.session.add(Meeting(event_id=event.id, need_registration_id=second[0].id, offering_registration_id=second[1].id,
                           slot=0, table_no=second[2], enterprise_id=second[0].organisation_id,
                           vendor_id=second[1].organisation_id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_schedule_route_reports_a_clash_with_422_and_books_nothing(app, client, auth):
    """Posting a meeting at a taken table re-renders the schedule with the message and status 422."""
    with app.app_context():
        center = make_user("center")
        event = make_event(center.organisation)
        regs = [make_registration(event, make_need(make_user("enterprise").organisation)) for _ in range(2)] + \
            [make_registration(event, make_offering(make_user("vendor").organisation)) for _ in range(2)]
        ids = [r.id for r in regs]
        event_id, email = event.id, center.email
    auth.login(email)
    first = {"need_registration": ids[0], "offering_registration": ids[2], "slot": 0, "table_no": 1}
    assert client.post(f"/events/{event_id}/meetings", data=first).status_code == 302
    clash = client.post(f"/events/{event_id}/meetings",
                        data={"need_registration": ids[1], "offering_registration": ids[3], "slot": 0, "table_no": 1})
    assert clash.status_code == 422 and 'id="slot-err"' in clash.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1


def test_outcomes_are_recorded_from_the_event_day_and_a_deal_needs_a_meeting(fair):
    """Before the day outcomes are refused; a no-show cannot carry a deal; a held meeting records follow-up and deal."""
    event, center = fair["event"], fair["center"]
    meeting = schedule_meeting(event, fair["needs"][0], fair["offerings"][0], 0, 1, center)
    with pytest.raises(DomainError):
        record_outcome(meeting, True, True, False, "", center)
    day = event.held_on
    with pytest.raises(DomainError):
        record_outcome(meeting, False, False, True, "", center, today=day)
    record_outcome(meeting, True, True, True, "签订试点合同", center, today=day)
    assert (meeting.outcome, meeting.outcome_note) == ("deal", "签订试点合同")


def test_participants_see_their_own_schedule_and_nobody_elses(app, client, auth):
    """An SME's schedule lists its meeting with time, table and the vendor; another SME sees none of it."""
    with app.app_context():
        center = make_user("center")
        event = make_event(center.organisation)
        sme = make_user("enterprise")
        need = make_registration(event, make_need(sme.organisation, title="我的场景需求"))
        offering = make_registration(event, make_offering(make_user("vendor").organisation, title="对方的方案"))
        schedule_meeting(event, need, offering, 1, 2, center)
        db.session.commit()
        sme_email = sme.email
    auth.login(sme_email)
    page = client.get("/events/mine").get_data(as_text=True)
    assert "我的场景需求" in page and "对方的方案" in page and "14:20" in page
    auth.logout()
    auth.as_role("enterprise")
    assert "对方的方案" not in client.get("/events/mine").get_data(as_text=True)


def test_another_center_cannot_run_this_event(app, client, auth):
    """A center that does not run the event gets 403 on its pairings, schedule, meetings and edit form."""
    with app.app_context():
        event_id = make_event(make_user("center").organisation).id
    auth.as_role("center")
    for method, url in (("get", "pairings"), ("get", "schedule"), ("post", "meetings"), ("post", "edit")):
        assert getattr(client, method)(f"/events/{event_id}/{url}").status_code == 403, url


def test_cancelled_meeting_frees_its_table(fair):
    """Cancelling a meeting without an outcome removes it and frees the table in that slot."""
    from marketplace.events.services import cancel_meeting

    event, center = fair["event"], fair["center"]
    meeting = schedule_meeting(event, fair["needs"][0], fair["offerings"][0], 0, 1, center)
    db.session.commit()
    cancel_meeting(meeting, center)
    db.session.commit()
    assert event.meetings == []
    schedule_meeting(event, fair["needs"][1], fair["offerings"][1], 0, 1, center)
