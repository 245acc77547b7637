"""Who may create, edit, publish, delist, moderate and see listings (provider profiles, models, offerings).

A listing belongs to the vendor organisation that created it: its members create, edit, publish and
delist it. Admins moderate: they take any published listing down with a reason (`listing.moderate`)
and see every listing, but they never create, edit or publish listings for a vendor.
"""
from __future__ import annotations

from marketplace.catalog.selectors import is_visible_to
from marketplace.permissions import acts_as, can, member_of, rule, signed_in


def is_admin(user) -> bool:
    """Tell whether the user is a signed-in platform admin."""
    return signed_in(user) and bool(user.is_admin)


def owns(user, listing) -> bool:
    """Tell whether the user acts for the vendor that owns the listing."""
    return acts_as(user, "vendor") and member_of(user, listing.organisation_id)


@rule("listing.create")
def may_create(user, record=None) -> bool:
    """Vendors create provider profiles, model cards and offerings (as drafts)."""
    return acts_as(user, "vendor")


@rule("listing.edit")
def may_edit(user, listing) -> bool:
    """The owning vendor edits its listing."""
    return owns(user, listing)


@rule("listing.publish")
def may_publish(user, listing) -> bool:
    """The owning vendor publishes (or republishes) its listing."""
    return owns(user, listing)


@rule("listing.delist")
def may_delist(user, listing) -> bool:
    """The owning vendor takes its listing off the public pages."""
    return owns(user, listing)


@rule("listing.moderate")
def may_moderate(user, listing=None) -> bool:
    """The listing's moderators (its vendor's city's promotion center, admins) take it down, with a reason."""
    return can(user, "moderation.decide", listing) if listing is not None else can(user, "moderation.queue")


@rule("listing.view")
def may_view(user, listing) -> bool:
    """Everybody sees published listings; the owner and admins see the others too, and moderators held or hidden
    ones."""
    return is_visible_to(listing, user) or can(user, "moderation.see", listing)
