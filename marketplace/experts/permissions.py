"""Who keeps the expert pool, who may ask an expert for help, and who sees an expert's contact details.

A promotion center keeps its own experts and answers the requests made to them (accepts and schedules,
declines, records the visit). SMEs request a diagnosis or a consultation and may withdraw their request.
An expert's telephone and e-mail are shown to the keeping center, admins, and an SME whose request the center
accepted — to nobody else, so the pool is not a contact list to harvest.
"""
from __future__ import annotations

from marketplace.experts.selectors import has_accepted_request, is_public
from marketplace.permissions import acts_as, can, member_of, rule, signed_in


def is_admin(user) -> bool:
    """Tell whether the user is a signed-in platform admin."""
    return signed_in(user) and bool(user.is_admin)


@rule("expert.keep")
def may_keep(user, expert=None) -> bool:
    """Promotion centers add experts to the pool and edit the ones they keep."""
    return acts_as(user, "center") and (expert is None or member_of(user, expert.center_id))


@rule("expert.view")
def may_view(user, expert) -> bool:
    """Everybody reads the public pool; an inactive or hidden expert only the keeping center and admins."""
    return (is_public(expert) or is_admin(user) or may_keep(user, expert)
            or can(user, "moderation.see", expert))


@rule("expert.contact")
def may_see_contact(user, expert) -> bool:
    """The keeping center, admins, and an SME whose request to the expert was accepted see phone and e-mail."""
    if is_admin(user) or may_keep(user, expert):
        return True
    return acts_as(user, "enterprise") and has_accepted_request(user.organisation_id, expert.id)


@rule("expert.request")
def may_request(user, expert=None) -> bool:
    """SMEs ask an expert of the public pool who takes requests for a diagnosis or a consultation."""
    return acts_as(user, "enterprise") and (expert is None or (is_public(expert) and expert.takes_requests))


@rule("expert_request.view")
def may_view_request(user, request) -> bool:
    """The requesting SME, the center keeping the expert, and admins read a request."""
    return (member_of(user, request.organisation_id) or may_keep(user, request.expert) or is_admin(user))


@rule("expert_request.answer")
def may_answer(user, request) -> bool:
    """The center keeping the expert accepts and schedules, declines, or records the visit."""
    return may_keep(user, request.expert)


@rule("expert_request.withdraw")
def may_withdraw(user, request) -> bool:
    """The requesting SME withdraws its request."""
    return acts_as(user, "enterprise") and member_of(user, request.organisation_id)


@rule("expert_request.list")
def may_list_requests(user, record=None) -> bool:
    """SMEs follow their requests; centers answer the requests to their experts; admins read all."""
    return acts_as(user, "enterprise") or acts_as(user, "center") or is_admin(user)
