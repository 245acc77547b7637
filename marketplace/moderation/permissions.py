"""Who may report, read the moderation queue, decide about an item and set a region's moderation mode.

Moderators are promotion centers, for items owned by an organisation of their own city, and admins, for every
item. Anyone signed in reports an item (not their own organisation's). Who else may read a held or hidden item:
its owner (who sees the reason) and its moderators (`moderation.see`).
"""
from __future__ import annotations

from marketplace.permissions import acts_as, member_of, rule, signed_in


def moderates_city(user, city: str | None) -> bool:
    """Tell whether the user moderates a region: admins every one, a promotion center its own city."""
    if not signed_in(user):
        return False
    return bool(user.is_admin or (acts_as(user, "center") and city is not None and user.organisation.city == city))


def moderates(user, record) -> bool:
    """Tell whether the user moderates an item: admins all, a promotion center those owned in its city (but not
    another promotion center's: admins moderate centers)."""
    from marketplace.moderation.subjects import owner_of, subject_of

    if not signed_in(user):
        return False
    if user.is_admin:
        return True
    if not acts_as(user, "center") or record is None:
        return False
    owner = owner_of(subject_of(record), record)
    return owner is not None and not owner.is_center and moderates_city(user, owner.city)


def owns(user, record) -> bool:
    """Tell whether the user acts for the organisation that owns an item."""
    from marketplace.moderation.subjects import subject_of

    return member_of(user, subject_of(record).owner_id(record))


@rule("moderation.queue")
def may_read_queue(user, record=None) -> bool:
    """Promotion centers (their city's items) and admins (all) read the moderation queue."""
    return signed_in(user) and (user.is_admin or acts_as(user, "center"))


@rule("moderation.decide")
def may_decide(user, record) -> bool:
    """An item's moderators hide, close, restore, approve or reject it, with a reason."""
    return moderates(user, record)


@rule("moderation.report")
def may_report(user, record=None) -> bool:
    """Anyone signed in reports an item, except one of their own organisation."""
    return signed_in(user) and (record is None or not owns(user, record))


@rule("moderation.see")
def may_see(user, record) -> bool:
    """A held, hidden or rejected item is read by its owner (with the reason) and its moderators (the item's own
    rules say who reads it otherwise, e.g. a draft)."""
    return not record.is_shown and (owns(user, record) or moderates(user, record))


@rule("moderation.region")
def may_set_region(user, city=None) -> bool:
    """A region's promotion center (its own city) and admins (every city) set its moderation mode."""
    if city is None:
        return may_read_queue(user, None)
    return moderates_city(user, city)
