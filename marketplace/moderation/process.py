"""The moderation process of a reportable item: visible ⇄ hidden, held → visible or rejected.

| transition | from | to | actor | effects |
|---|---|---|---|---|
| hide | visible, held | hidden | the item's moderators, with a reason | history row, open reports resolved, owner told why |
| restore | hidden, rejected | visible | the item's moderators, with a reason | history row, open reports resolved, owner told |
| approve | held | visible | the item's moderators | history row, open reports resolved, owner told |
| reject | held | rejected | the item's moderators, with a reason | history row, open reports resolved, owner told why |

The state is the item's `moderation` column (`marketplace.moderated`), apart from its own state; closing an item
(a need closed, a listing delisted, a case back to draft) is its own process's `moderate` transition, fired by
`services.close`. Every move is audited (`marketplace.process`) as `moderation.<verb>`. Writing the column marks
a searchable record changed, so the same commit's index event drops it from the index (or re-adds it).
"""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from marketplace.locks import load_locked
from marketplace.moderated import ModerationState
from marketplace.process import Ask, Firing, Process, Transition

VISIBLE, HELD = ModerationState.VISIBLE.value, ModerationState.HELD.value
HIDDEN, REJECTED = ModerationState.HIDDEN.value, ModerationState.REJECTED.value

REASON = Ask("reason", _l("Reason (the owner sees it)"), _l("Give a reason for the decision."))


def record_decision(record, user, firing: Firing) -> None:
    """Keep the decision in the item's history, resolve its open reports and tell its owner."""
    from marketplace.moderation.services import after_decision

    after_decision(record, user, firing.action, str(firing.values.get("reason") or ""))


EFFECTS = (record_decision,)

TRANSITIONS = (
    Transition("hide", frozenset({VISIBLE, HELD}), HIDDEN, "moderation.decide", _l("Hide"), asks=(REASON,),
               effects=EFFECTS, audit="moderation.hidden"),
    Transition("restore", frozenset({HIDDEN, REJECTED}), VISIBLE, "moderation.decide", _l("Restore"),
               asks=(REASON,), effects=EFFECTS, audit="moderation.restored", style="secondary"),
    Transition("approve", frozenset({HELD}), VISIBLE, "moderation.decide", _l("Approve"), effects=EFFECTS,
               audit="moderation.approved"),
    Transition("reject", frozenset({HELD}), REJECTED, "moderation.decide", _l("Reject"), asks=(REASON,),
               effects=EFFECTS, audit="moderation.rejected", style="secondary"),
)


def process_for(model) -> Process:
    """Return the moderation process of one model class (they differ only in the table they lock)."""
    return Process("moderation", TRANSITIONS, load_locked=partial(load_locked, model), state_attr="moderation")
