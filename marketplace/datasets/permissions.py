"""Who lists datasets, who sees them, who may ask to use one, and who answers.

A dataset belongs to the enterprise or vendor that listed it: its members edit, publish and delist it and answer
the access requests made to it. Any other verified enterprise or vendor asks for access with a purpose (an
unverified one cannot: the owner could not know who is asking); the requester may withdraw while the owner has
not answered. Moderators take a published dataset down as they do listings.
"""
from __future__ import annotations

from marketplace.catalog.selectors import is_visible_to
from marketplace.datasets.selectors import is_public
from marketplace.permissions import acts_as, can, member_of, rule, signed_in

DATA_HOLDERS = ("enterprise", "vendor")
"""The kinds of organisation that hold industrial data and may list it or ask to use it."""


def holds_data(user) -> bool:
    """Tell whether the user acts for an enterprise or a vendor."""
    return any(acts_as(user, kind) for kind in DATA_HOLDERS)


def owns(user, dataset) -> bool:
    """Tell whether the user acts for the organisation that owns the dataset."""
    return holds_data(user) and member_of(user, dataset.organisation_id)


@rule("dataset.create")
def may_create(user, record=None) -> bool:
    """Enterprises and vendors list datasets (as drafts)."""
    return holds_data(user)


@rule("dataset.edit")
def may_edit(user, dataset) -> bool:
    """The owner edits its dataset."""
    return owns(user, dataset)


@rule("dataset.publish")
def may_publish(user, dataset) -> bool:
    """The owner publishes (or republishes) its dataset."""
    return owns(user, dataset)


@rule("dataset.delist")
def may_delist(user, dataset) -> bool:
    """The owner takes its dataset off the public pages."""
    return owns(user, dataset)


@rule("dataset.moderate")
def may_moderate(user, dataset=None) -> bool:
    """The dataset's moderators (its owner's city's promotion center, admins) take it down, with a reason."""
    return can(user, "moderation.decide", dataset) if dataset is not None else can(user, "moderation.queue")


@rule("dataset.view")
def may_view(user, dataset) -> bool:
    """Everybody sees published datasets; the owner and admins the others, moderators held or hidden ones."""
    return is_visible_to(dataset, user) or can(user, "moderation.see", dataset)


@rule("dataset.request_access")
def may_request(user, dataset=None) -> bool:
    """A verified enterprise or vendor other than the owner asks to use a published dataset."""
    if not holds_data(user) or not user.organisation.is_verified:
        return False
    return dataset is None or (is_public(dataset) and not member_of(user, dataset.organisation_id))


@rule("dataset.list_requests")
def may_list_requests(user, record=None) -> bool:
    """Enterprises and vendors follow the requests they made and answer those to their datasets; admins read all."""
    return holds_data(user) or (signed_in(user) and bool(user.is_admin))


@rule("access_request.view")
def may_view_request(user, access) -> bool:
    """The requester, the dataset's owner and admins read a request."""
    return (member_of(user, access.organisation_id) or member_of(user, access.dataset.organisation_id)
            or (signed_in(user) and bool(user.is_admin)))


@rule("access_request.answer")
def may_answer(user, access) -> bool:
    """Only the dataset's owner grants or refuses access."""
    return owns(user, access.dataset)


@rule("access_request.withdraw")
def may_withdraw(user, access) -> bool:
    """The requesting organisation withdraws its request."""
    return holds_data(user) and member_of(user, access.organisation_id)
