"""The processes of the enterprise file: confirming the level a diagnosis visit found, closing a follow-up.

| process | transition | from | to | actor | effects |
|---|---|---|---|---|---|
| visit | confirm_level | awaiting_confirmation | level_confirmed | a center of the enterprise's city, admins | stamps confirmed_at; the enterprise is notified |
| follow-up | mark_done | open | done | a center of the enterprise's city, admins | stamps done_at |

Confirming makes the visit's level the one that counts (`diagnosis.level`). Both moves are audited.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.diagnosis.models import DiagnosisVisit, FollowUp, FollowUpState, VisitState
from marketplace.locks import load_locked
from marketplace.process import Process, Transition

AWAITING, CONFIRMED = VisitState.AWAITING.value, VisitState.CONFIRMED.value
OPEN, DONE = FollowUpState.OPEN.value, FollowUpState.DONE.value


def tell_the_enterprise(visit: DiagnosisVisit, user) -> None:
    """Notify the enterprise that its level was confirmed (caller commits)."""
    from marketplace.diagnosis.services import notify_confirmed

    notify_confirmed(visit, user)


VISIT = Process("diagnosis_visit", [
    Transition("confirm_level", frozenset({AWAITING}), CONFIRMED, "diagnosis.confirm", _l("Confirm this level"),
               stamp="confirmed_at", audit="diagnosis.level_confirmed"),
], load_locked=lambda visit_id: load_locked(DiagnosisVisit, visit_id), emit=tell_the_enterprise)

FOLLOW_UP = Process("diagnosis_follow_up", [
    Transition("mark_done", frozenset({OPEN}), DONE, "diagnosis.follow_up", _l("Mark as done"),
               stamp="done_at", style="secondary", audit="diagnosis.follow_up_done"),
], load_locked=lambda follow_up_id: load_locked(FollowUp, follow_up_id))
