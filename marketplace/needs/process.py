"""The need process: open → in talks → contracted → closed, reopen — who moves a need and what follows.

| transition | from | to | actor | effects |
|---|---|---|---|---|
| close | open, in talks, contracted | closed | the SME that posted it | vendors with live proposals are told |
| moderate | open, in talks, contracted | closed | an admin, with a reason (audited as need.moderated) | vendors with live proposals and the SME are told |
| reopen | closed, in talks | open | the SME that posted it | vendors with live proposals are told |
| start_talks | open | in talks | fired by the proposal process when the SME accepts a proposal | the other bidders are told |
| contract | open, in talks | contracted | fired by the proposal process when both sides confirmed a contract | the other bidders are told |

Every move is audited (`marketplace.process`). `start_talks` and `contract` are never buttons: they follow
from a proposal (`FIRED_BY_PROPOSALS`); `page_moves` gives a need page the rest.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.needs.models import NeedStatus
from marketplace.notifications.events import need_changed
from marketplace.process import Ask, Firing, Process, Transition

OPEN, IN_TALKS = NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value
CONTRACTED, CLOSED = NeedStatus.CONTRACTED.value, NeedStatus.CLOSED.value
NOT_CLOSED = frozenset({OPEN, IN_TALKS, CONTRACTED})

FIRED_BY_PROPOSALS = frozenset({"start_talks", "contract"})
"""Transitions the proposal process fires (accepting a proposal, both sides confirming its contract)."""


def tell_bidders(need, user, firing: Firing) -> None:
    """Tell the vendors with live proposals (and the SME, when someone else acted) the need's new status."""
    need_changed(need, user)


def tell_other_bidders(need, user, firing: Firing) -> None:
    """Tell the vendors with live proposals, except the one the deal is with, the need's new status."""
    need_changed(need, user, exclude={firing.values.get("vendor_id")}, tell_owner=False)


def load_locked(need_id: int):
    """Lock and load a need (see `marketplace.locks`)."""
    from marketplace.needs.services import lock_need

    return lock_need(need_id)


NEED = Process("need", [
    Transition("close", NOT_CLOSED, CLOSED, "need.close", _l("Close"), effects=(tell_bidders,), style="secondary"),
    Transition("reopen", frozenset({CLOSED, IN_TALKS}), OPEN, "need.reopen", _l("Reopen"), effects=(tell_bidders,),
               style="secondary"),
    Transition("moderate", NOT_CLOSED, CLOSED, "need.moderate", _l("Close as moderator"),
               effects=(tell_bidders,), style="secondary", audit="need.moderated",
               asks=(Ask("reason", _l("Reason for closing this need"), _l("Give a reason for closing this need.")),)),
    Transition("start_talks", frozenset({OPEN}), IN_TALKS, "need.deal", _l("Start talks"),
               effects=(tell_other_bidders,)),
    Transition("contract", frozenset({OPEN, IN_TALKS}), CONTRACTED, "need.deal", _l("Contract"),
               effects=(tell_other_bidders,)),
], load_locked=load_locked, state_attr="status")


def page_moves(need, user) -> list[Transition]:
    """Return the buttons of a need's page for this user: the moves open now, without those a proposal fires."""
    return [t for t in NEED.available(need, user) if t.name not in FIRED_BY_PROPOSALS]
