"""The event's phases, the meeting process and the event permission rules: who may do what, and when."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.errors import PermissionDenied
from marketplace.events.models import Meeting
from marketplace.events.process import (
    MEETING,
    ON_THE_DAY,
    PAST,
    UPCOMING,
    outcomes_open,
    phase,
    registration_open,
    scheduling_open,
)
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.states import IllegalTransition
from tests.factories import make_event, make_need, make_offering, make_registration, make_user


@pytest.fixture
def fair(in_app):
    """An event held today with one meeting, its organiser, the two participants, another center and an admin."""
    organiser = make_user("center")
    event = make_event(organiser.organisation, held_on=date.today())
    sme, vendor = make_user("enterprise"), make_user("vendor")
    need = make_registration(event, make_need(sme.organisation))
    offering = make_registration(event, make_offering(vendor.organisation))
    meeting = Meeting(event=event, need_registration=need, offering_registration=offering, slot=0, table_no=1,
                      enterprise_id=sme.organisation_id, vendor_id=vendor.organisation_id)
    db.session.add(meeting)
    db.session.commit()
    return {"event": event, "meeting": meeting, "need": need,
            "people": {"organiser": organiser, "sme": sme, "vendor": vendor, "other_center": make_user("center"),
                       "admin": make_user("admin")}}


def names(moves) -> list[str]:
    """Return the names of the available transitions."""
    return [t.name for t in moves]


def test_phases_follow_the_date(in_app):
    """Registration and scheduling are open until the day ends; outcomes are open from the day on."""
    event = make_event(make_user("center").organisation)
    day = event.held_on
    table = [(day - timedelta(days=1), UPCOMING, True, True, False), (day, ON_THE_DAY, True, True, True),
             (day + timedelta(days=1), PAST, False, False, True)]
    for today, name, registering, scheduling, outcomes in table:
        assert (phase(event, today), registration_open(event, today), scheduling_open(event, today),
                outcomes_open(event, today)) == (name, registering, scheduling, outcomes), name


def test_organiser_records_an_outcome_then_can_no_longer_cancel(fair):
    """On the day the organiser may record or cancel; once recorded, only re-recording remains; audited."""
    organiser, meeting = fair["people"]["organiser"], fair["meeting"]
    assert names(MEETING.available(meeting, organiser)) == ["record_outcome", "cancel"]
    MEETING.fire(meeting.id, "record_outcome", organiser, held=True, follow_up=True, deal=False, note="约定复测")
    db.session.commit()
    assert (meeting.stage, meeting.outcome, meeting.outcome_note) == ("recorded", "follow_up", "约定复测")
    assert names(MEETING.available(meeting, organiser)) == ["record_outcome"]
    with pytest.raises(IllegalTransition):
        MEETING.fire(meeting.id, "cancel", organiser)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action.like("meeting.%"))) == \
        "meeting.outcome_recorded"


def test_before_the_day_only_cancelling_is_offered(fair):
    """Before the event day the outcome cannot be recorded, so only the cancel button is offered."""
    fair["event"].held_on = date.today() + timedelta(days=3)
    db.session.commit()
    assert names(MEETING.available(fair["meeting"], fair["people"]["organiser"])) == ["cancel"]


@pytest.mark.parametrize("who", ["sme", "vendor", "other_center", "admin"])
def test_nobody_but_the_organiser_moves_a_meeting(fair, who):
    """Participants, another center and admins have no moves and are refused both."""
    person, meeting = fair["people"][who], fair["meeting"]
    assert MEETING.available(meeting, person) == []
    with pytest.raises(PermissionDenied):
        MEETING.fire(meeting.id, "record_outcome", person, held=True)
    with pytest.raises(PermissionDenied):
        MEETING.fire(meeting.id, "cancel", person)
    assert meeting.held is None


def test_event_rules_by_role(fair):
    """Centers create; only the organiser runs; admins oversee; SMEs and vendors register their own listings."""
    people, event = fair["people"], fair["event"]

    def allowed(name, record=None):
        return [who for who in people if can(people[who], name, record)]

    assert allowed("event.create") == ["organiser", "other_center"]
    assert allowed("event.run", event) == ["organiser"]
    assert allowed("event.oversee", event) == ["organiser", "admin"]
    assert allowed("event.register") == ["sme", "vendor"]
    assert allowed("event.register", fair["need"].need) == ["sme"]
    assert allowed("event.withdraw", fair["need"]) == ["organiser", "sme"]
    assert allowed("event.schedule") == ["sme", "vendor"]
    assert not can(None, "event.register")
