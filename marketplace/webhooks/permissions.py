"""Who may manage webhooks: members of an SME, a vendor or a promotion center, each for their own organisation."""
from __future__ import annotations

from marketplace.permissions import member_of, rule, signed_in
from marketplace.webhooks.catalogue import EVENTS

KINDS_WITH_EVENTS = frozenset().union(*(kinds for _label, kinds in EVENTS.values()))


@rule("webhook.manage")
def may_manage_webhooks(user, record=None) -> bool:
    """Members (not admins) of an organisation of a kind some event concerns may register endpoints."""
    return signed_in(user) and not user.is_admin and user.organisation.kind in KINDS_WITH_EVENTS


@rule("webhook.edit")
def may_edit_endpoint(user, endpoint) -> bool:
    """Only members of the endpoint's organisation see, change, test, roll or delete it and its deliveries."""
    return may_manage_webhooks(user, None) and endpoint is not None and member_of(user, endpoint.organisation_id)
