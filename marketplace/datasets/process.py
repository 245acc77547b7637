"""The two processes of the datasets package: a dataset's publication, and an access request.

Publication (`DATASET`, the listings' states):

| transition | from | to | actor | notes |
|---|---|---|---|---|
| publish | draft, delisted | published | the owner | an unverified owner's dataset is screened (moderation) |
| delist | published | delisted | the owner | — |
| moderate | published | delisted | its moderators, with a reason | the owner is told why |

Access request (`ACCESS`, `AccessRequest.state`):

| transition | from | to | actor | notes |
|---|---|---|---|---|
| grant | awaiting_owner | access_granted | the dataset's owner | with the terms and conditions of use |
| refuse | awaiting_owner | access_refused | the dataset's owner | with a reason the requester reads |
| withdraw | awaiting_owner | withdrawn | the requesting organisation | — |

Every move is audited; each access move tells the other side (notification and e-mail). A grant records the
owner's permission only: the data is handed over (a sample, a licence) or computed on (可用不可见) outside the
site, under the conditions written here.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.datasets.models import AccessRequest, AccessState, Dataset
from marketplace.locks import load_locked
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.states import ListingState

DRAFT, PUBLISHED, DELISTED = ListingState.DRAFT.value, ListingState.PUBLISHED.value, ListingState.DELISTED.value
AWAITING, GRANTED = AccessState.AWAITING.value, AccessState.GRANTED.value
REFUSED, WITHDRAWN = AccessState.REFUSED.value, AccessState.WITHDRAWN.value


def screen_publication(dataset, user, firing: Firing) -> None:
    """An unverified owner's dataset is held for review (pre-moderation) or queued (post-moderation)."""
    from marketplace.moderation.services import screen_new

    screen_new(dataset, user)


def tell_the_owner(dataset, user, firing: Firing) -> None:
    """Notify the owner (in-site and by e-mail) that a moderator took its dataset down, with the reason."""
    from marketplace.notifications.events import listing_taken_down
    from marketplace.notifications.services import path_for

    listing_taken_down(dataset, user, str(firing.values["reason"]).strip()[:500],
                       path_for("datasets.detail", dataset_id=dataset.id))


DATASET = Process("dataset", [
    Transition("publish", frozenset({DRAFT, DELISTED}), PUBLISHED, "dataset.publish", _l("Publish"),
               audit="dataset.published", effects=(screen_publication,)),
    Transition("delist", frozenset({PUBLISHED}), DELISTED, "dataset.delist", _l("Delist"), style="secondary",
               audit="dataset.delisted"),
    Transition("moderate", frozenset({PUBLISHED}), DELISTED, "dataset.moderate", _l("Take down"),
               style="secondary", audit="dataset.moderated", effects=(tell_the_owner,),
               asks=(Ask("reason", _l("Reason for taking it down"),
                         _l("Give a reason for taking the listing down.")),)),
], load_locked=lambda dataset_id: load_locked(Dataset, dataset_id))


def write_conditions(access, user, firing: Firing) -> None:
    """Keep who granted access and the conditions of use the requester reads."""
    access.decided_by_id = user.id
    access.conditions = str(firing.values.get("conditions") or "").strip() or None


def write_reason(access, user, firing: Firing) -> None:
    """Keep who refused and the reason the requester reads."""
    access.decided_by_id = user.id
    access.reason = str(firing.values["reason"]).strip()


def tell_the_other_side(access, user) -> None:
    """Tell the requester of the owner's answer, or the owner of a withdrawal (caller commits)."""
    from marketplace.datasets.services import notify_about

    notify_about(access, user)


ACCESS = Process("access_request", [
    Transition("grant", frozenset({AWAITING}), GRANTED, "access_request.answer", _l("Grant access"),
               stamp="decided_at", effects=(write_conditions,), audit="access_request.granted",
               asks=(Ask("conditions", _l("Terms and conditions of use"),
                         _l("Write the conditions under which the data may be used.")),)),
    Transition("refuse", frozenset({AWAITING}), REFUSED, "access_request.answer", _l("Refuse"),
               stamp="decided_at", effects=(write_reason,), style="secondary", audit="access_request.refused",
               asks=(Ask("reason", _l("Reason, which the requester reads"),
                         _l("Give the requester a reason for refusing.")),)),
    Transition("withdraw", frozenset({AWAITING}), WITHDRAWN, "access_request.withdraw",
               _l("Withdraw the request"), style="secondary", stamp="withdrawn_at",
               audit="access_request.withdrawn"),
], load_locked=lambda request_id: load_locked(AccessRequest, request_id), emit=tell_the_other_side)
