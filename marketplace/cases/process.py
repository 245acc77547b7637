"""The case process and the quality provider directory's process.

CASE — showcase cases curated by promotion centers:

| transition | from | to | actor | notes |
|---|---|---|---|---|
| publish | draft | published | the curating center | needs a measured result |
| feature | published | featured | the curating center | needs a measured result |
| unfeature | featured | published | the curating center | — |
| unpublish | published, featured | draft | the curating center | — |
| moderate | published, featured | draft | an admin, with a reason | audited as `case.taken_down` |

DIRECTORY — a provider in or out of the 优质服务商目录 (`ProviderProfile.directory_status`):

| transition | from | to | actor | notes |
|---|---|---|---|---|
| add | unlisted | listed | a promotion center, with a reason and a review date | published profiles only |
| renew | listed | listed | a promotion center, with a reason and a review date | published profiles only |
| remove | listed | unlisted | a promotion center, with a reason | — |

Every directory move appends a `DirectoryDecision` (the history) and tells the vendor; every move of
either process is audited (`marketplace.process`).
"""
from __future__ import annotations

from functools import partial

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.cases.models import Case, CaseState, DirectoryStatus
from marketplace.catalog.models import ProviderProfile
from marketplace.catalog.selectors import is_public as listing_is_public
from marketplace.errors import DomainError
from marketplace.locks import load_locked
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.states import IllegalTransition

DRAFT, PUBLISHED, FEATURED = CaseState.DRAFT.value, CaseState.PUBLISHED.value, CaseState.FEATURED.value
LISTED, UNLISTED = DirectoryStatus.LISTED.value, DirectoryStatus.UNLISTED.value
PUBLIC = frozenset({PUBLISHED, FEATURED})


def has_results(case, user, firing: Firing) -> None:
    """Refuse to make a case public before it has a measured result."""
    if not case.results:
        raise IllegalTransition(_("A case needs at least one measured result before it is published."))


def locker(cls):
    """Return a loader that locks and loads one row of a class, fresh from the database."""
    return partial(load_locked, cls)


CASE = Process("case", [
    Transition("publish", frozenset({DRAFT}), PUBLISHED, "case.publish", _l("Publish"), guards=(has_results,),
               audit="case.published"),
    Transition("feature", frozenset({PUBLISHED}), FEATURED, "case.feature", _l("Feature"), guards=(has_results,),
               audit="case.featured"),
    Transition("unfeature", frozenset({FEATURED}), PUBLISHED, "case.feature", _l("Unfeature"), style="secondary",
               guards=(has_results,), audit="case.unfeatured"),
    Transition("unpublish", PUBLIC, DRAFT, "case.publish", _l("Unpublish"), style="secondary",
               audit="case.unpublished"),
    Transition("moderate", PUBLIC, DRAFT, "case.moderate", _l("Take down"), style="secondary",
               audit="case.taken_down",
               asks=(Ask("reason", _l("Reason for taking it down"), _l("Give a reason for taking the case down.")),)),
], load_locked=locker(Case))


def published_profile(profile, user, firing: Firing) -> None:
    """Refuse to list a provider whose profile is not public."""
    if not listing_is_public(profile):
        raise DomainError(_("Only published provider profiles can be listed."), "provider_id")


def review_in_future(profile, user, firing: Firing) -> None:
    """Refuse a review date that is not after today (when one is given; the transition asks for it)."""
    review_on = firing.values.get("review_on")
    if review_on is not None and review_on <= firing.values.get("today", firing.when.date()):
        raise DomainError(_("Set a review date in the future."), "review_on")


def record_decision(profile, user, firing: Firing) -> None:
    """Append the decision to the directory history and tell the vendor about a new or removed badge."""
    from marketplace.cases.models import DirectoryDecision
    from marketplace.extensions import db
    from marketplace.notifications.events import badge_changed

    review_on = firing.values.get("review_on") if firing.action != "remove" else None
    decision = DirectoryDecision(provider=profile, center=user.organisation, decided_by=user, action=firing.action,
                                 reason=str(firing.values["reason"]).strip(), review_on=review_on)
    db.session.add(decision)
    db.session.flush()
    badge_changed(profile, decision, user)


REASON = Ask("reason", _l("Reason"), _l("Give a reason for the decision."))
REVIEW = Ask("review_on", _l("Review by"), _l("Set a review date in the future."))

DIRECTORY = Process("directory", [
    Transition("add", frozenset({UNLISTED}), LISTED, "directory.manage", _l("Add to the directory"),
               guards=(published_profile, review_in_future), effects=(record_decision,), asks=(REASON, REVIEW),
               audit="directory.added"),
    Transition("renew", frozenset({LISTED}), LISTED, "directory.manage", _l("Renew"),
               guards=(published_profile, review_in_future), effects=(record_decision,), asks=(REASON, REVIEW),
               style="secondary", audit="directory.renewed"),
    Transition("remove", frozenset({LISTED}), UNLISTED, "directory.manage", _l("Remove"),
               effects=(record_decision,), asks=(REASON,), style="secondary", audit="directory.removed"),
], load_locked=locker(ProviderProfile), state_attr="directory_status")

