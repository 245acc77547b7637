"""The listing process: draft → published → delisted → published, for profiles, models and offerings alike.

| transition | from | to | actor | notes |
|---|---|---|---|---|
| publish | draft, delisted | published | the owning vendor | — |
| delist | published | delisted | the owning vendor | — |
| moderate | published | delisted | an admin, with a reason | moderation: audited as `listing.moderated`; the vendor is told why |

One table of transitions; `LISTING` holds one `Process` per kind of listing (they differ only in the
table they lock and load). Every move is audited (`marketplace.process`).
"""
from __future__ import annotations

from functools import partial

from flask_babel import lazy_gettext as _l

from marketplace.kinds import listing_kinds
from marketplace.locks import load_locked
from marketplace.process import Ask, Firing, Process, Transition
from marketplace.states import ListingState

DRAFT, PUBLISHED, DELISTED = ListingState.DRAFT.value, ListingState.PUBLISHED.value, ListingState.DELISTED.value

KINDS = {kind.name: kind.model for kind in listing_kinds()}
"""The kinds of listing and their model classes, as the registry of kinds (`marketplace.kinds`) has them."""


def tell_the_vendor(listing, user, firing: Firing) -> None:
    """Notify the owning vendor (in-site and by e-mail) that the platform took its listing down, with the reason."""
    from marketplace.kinds import get_kind
    from marketplace.notifications.events import listing_taken_down
    from marketplace.notifications.services import path_for

    kind = get_kind(kind_of(listing))
    link = path_for(kind.detail_endpoint, **{kind.detail_arg: listing.id})
    listing_taken_down(listing, user, str(firing.values["reason"]).strip()[:500], link)


def screen_publication(listing, user, firing: Firing) -> None:
    """An unverified vendor's listing is held for review (pre-moderation) or queued (post-moderation)."""
    from marketplace.moderation.services import screen_new

    screen_new(listing, user)


TRANSITIONS = (
    Transition("publish", frozenset({DRAFT, DELISTED}), PUBLISHED, "listing.publish", _l("Publish"),
               audit="listing.published", effects=(screen_publication,)),
    Transition("delist", frozenset({PUBLISHED}), DELISTED, "listing.delist", _l("Delist"), style="secondary",
               audit="listing.delisted"),
    Transition("moderate", frozenset({PUBLISHED}), DELISTED, "listing.moderate", _l("Take down"),
               style="secondary", audit="listing.moderated", effects=(tell_the_vendor,),
               asks=(Ask("reason", _l("Reason for taking it down"),
                         _l("Give a reason for taking the listing down.")),)),
)


def locker(cls):
    """Return a loader that locks and loads one row of a class, fresh from the database."""
    return partial(load_locked, cls)


LISTING: dict[str, Process] = {kind: Process("listing", TRANSITIONS, load_locked=locker(cls))
                               for kind, cls in KINDS.items()}


def kind_of(listing) -> str:
    """Return the kind name ("provider", "model", "offering") of a listing."""
    return next(kind for kind, cls in KINDS.items() if isinstance(listing, cls))


def process_of(listing) -> Process:
    """Return the listing process for a listing of any kind."""
    return LISTING[kind_of(listing)]
