"""The phases of a matchmaking event and the meeting process.

An event has no stored state: its phase follows from its date. Before and on the day registrations are
open and meetings can be scheduled; from the day on, outcomes can be recorded.

| phase | registration | scheduling | outcomes |
|---|---|---|---|
| upcoming (before the day) | open | open | — |
| on the day | open | open | open |
| past | closed | closed | open |

MEETING — one scheduled conversation (`Meeting.stage`: scheduled until its outcome is recorded):

| transition | from | to | actor | notes |
|---|---|---|---|---|
| record_outcome | scheduled, recorded | recorded | the organiser | from the event day; no deal without a meeting |
| cancel | scheduled | (removed) | the organiser | frees the table |

Every move is audited (`marketplace.process`).
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.process import Firing, Process, Transition

UPCOMING, ON_THE_DAY, PAST = "upcoming", "on_the_day", "past"
REGISTRATION_OPEN = frozenset({UPCOMING, ON_THE_DAY})
SCHEDULING_OPEN = frozenset({UPCOMING, ON_THE_DAY})
OUTCOMES_OPEN = frozenset({ON_THE_DAY, PAST})

SCHEDULED, RECORDED = "scheduled", "recorded"


def phase(event, today: date | None = None) -> str:
    """Return the phase of an event on a day: upcoming, on the day, or past."""
    today = today or date.today()
    if event.held_on > today:
        return UPCOMING
    return ON_THE_DAY if event.held_on == today else PAST


def registration_open(event, today: date | None = None) -> bool:
    """Tell whether SMEs and vendors may still register or withdraw."""
    return phase(event, today) in REGISTRATION_OPEN


def scheduling_open(event, today: date | None = None) -> bool:
    """Tell whether the organiser may still schedule meetings."""
    return phase(event, today) in SCHEDULING_OPEN


def outcomes_open(event, today: date | None = None) -> bool:
    """Tell whether the organiser may record meeting outcomes (from the event day on)."""
    return phase(event, today) in OUTCOMES_OPEN


def firing_day(firing: Firing) -> date:
    """Return the day a firing counts as today (a `today` value, else the firing's date)."""
    return firing.values.get("today") or firing.when.date()


def event_day_has_come(meeting, user, firing: Firing) -> None:
    """Refuse to record an outcome before the event day."""
    if not outcomes_open(meeting.event, firing_day(firing)):
        raise DomainError(_("Outcomes can be recorded from the day of the event."))


def outcome_is_consistent(meeting, user, firing: Firing) -> None:
    """Refuse a follow-up or a deal for a meeting that did not take place (when an outcome is given)."""
    values = firing.values
    if values.get("held") is False and (values.get("follow_up") or values.get("deal")):
        raise DomainError(_("A meeting that did not take place has no follow-up or deal."), "held")


def write_outcome(meeting, user, firing: Firing) -> None:
    """Store what came of the meeting and when it was recorded."""
    values = firing.values
    meeting.held, meeting.follow_up, meeting.deal = bool(values["held"]), bool(values.get("follow_up")), \
        bool(values.get("deal"))
    meeting.outcome_note = (values.get("note") or "").strip() or None
    meeting.outcome_recorded_at = firing.when


def remove_meeting(meeting, user, firing: Firing) -> None:
    """Delete the meeting, freeing its table and both organisations in that slot."""
    meeting.event.meetings.remove(meeting)


def load_locked(meeting_id: int):
    """Lock and load a meeting (see `marketplace.locks`)."""
    from marketplace.events.models import Meeting
    from marketplace.locks import load_locked as lock_and_load

    return lock_and_load(Meeting, meeting_id)


MEETING = Process("meeting", [
    Transition("record_outcome", frozenset({SCHEDULED, RECORDED}), None, "event.record-outcome",
               _l("Record outcome"), guards=(event_day_has_come, outcome_is_consistent), effects=(write_outcome,),
               audit="meeting.outcome_recorded"),
    Transition("cancel", frozenset({SCHEDULED}), None, "event.cancel-meeting", _l("Cancel meeting"),
               effects=(remove_meeting,), style="link-button small", audit="meeting.cancelled"),
], load_locked=load_locked, state_attr="stage")
