"""The process of an SME's request to an expert (`ExpertRequest.state`).

| transition | from | to | actor | notes |
|---|---|---|---|---|
| schedule | requested | scheduled | the center keeping the expert | a time from now on and a place (or "online") |
| decline | requested | declined | the center keeping the expert | with a reason the SME reads |
| complete | scheduled | completed | the center keeping the expert | from the scheduled time on |
| withdraw | requested, scheduled | withdrawn | the requesting SME | — |

Scheduling is the acceptance: from then on the SME sees the expert's telephone and e-mail
(`expert.contact`). Each move tells the other side (notification and e-mail) and is audited.
"""
from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.errors import DomainError
from marketplace.experts.models import ExpertRequest, RequestState
from marketplace.locks import load_locked
from marketplace.process import Ask, Firing, Process, Transition

REQUESTED, SCHEDULED = RequestState.REQUESTED.value, RequestState.SCHEDULED.value
DECLINED, COMPLETED, WITHDRAWN = (RequestState.DECLINED.value, RequestState.COMPLETED.value,
                                  RequestState.WITHDRAWN.value)


def as_utc(moment: datetime) -> datetime:
    """Read a stored time as UTC (SQLite hands naive datetimes back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def time_and_place(request, user, firing: Firing) -> None:
    """Refuse a visit without a place or at a time already past."""
    when, place = firing.values.get("scheduled_for"), str(firing.values.get("place") or "").strip()
    if not isinstance(when, datetime):
        raise DomainError(_("Enter the date and time of the visit."), "scheduled_for")
    if as_utc(when) <= firing.when:
        raise DomainError(_("Choose a time that has not passed yet."), "scheduled_for")
    if not place:
        raise DomainError(_("Say where the visit takes place, or that it is online."), "place")


def visit_time_has_come(request, user, firing: Firing) -> None:
    """Refuse to record a visit before its scheduled time."""
    if request.scheduled_for is None or as_utc(request.scheduled_for) > firing.when:
        raise DomainError(_("A visit can be recorded as held from its scheduled time on."))


def write_schedule(request, user, firing: Firing) -> None:
    """Store when and where the expert meets the SME."""
    request.scheduled_for = as_utc(firing.values["scheduled_for"])
    request.place = str(firing.values["place"]).strip()
    request.answer = str(firing.values.get("answer") or "").strip() or None


def write_reason(request, user, firing: Firing) -> None:
    """Keep the center's reason for declining, which the SME reads."""
    request.answer = str(firing.values["reason"]).strip()


def tell_the_other_side(request, user) -> None:
    """Tell the SME about the center's answer, or the center about the SME's withdrawal (caller commits)."""
    from marketplace.experts.services import notify_about

    notify_about(request, user)


REQUEST = Process("expert_request", [
    Transition("schedule", frozenset({REQUESTED}), SCHEDULED, "expert_request.answer", _l("Accept and schedule"),
               stamp="decided_at", guards=(time_and_place,), effects=(write_schedule,),
               audit="expert_request.scheduled"),
    Transition("decline", frozenset({REQUESTED}), DECLINED, "expert_request.answer", _l("Decline"),
               stamp="decided_at", effects=(write_reason,), style="secondary", audit="expert_request.declined",
               asks=(Ask("reason", _l("Reason, which the enterprise reads"),
                         _l("Give the enterprise a reason for declining.")),)),
    Transition("complete", frozenset({SCHEDULED}), COMPLETED, "expert_request.answer", _l("Record the visit as held"),
               stamp="completed_at", guards=(visit_time_has_come,), audit="expert_request.completed"),
    Transition("withdraw", frozenset({REQUESTED, SCHEDULED}), WITHDRAWN, "expert_request.withdraw",
               _l("Withdraw the request"), style="secondary", audit="expert_request.withdrawn"),
], load_locked=lambda request_id: load_locked(ExpertRequest, request_id), emit=tell_the_other_side)
