"""Who may apply for, decide and read 模型券 quotas and ledgers, and turn a proposal into an order."""
from __future__ import annotations

from marketplace.permissions import acts_as, can, member_of, rule, signed_in


def acts_for_region(user, region: str | None) -> bool:
    """Admins act for every region; a promotion center for its own city."""
    return signed_in(user) and region is not None and (
        user.is_admin or (user.organisation.is_center and user.organisation.city == region))


@rule("quota.apply")
def may_apply(user, record=None) -> bool:
    """An SME that may hold vouchers (verified) applies for its quota."""
    return acts_as(user, "enterprise") and can(user, "organisation.hold_vouchers", user.organisation)


@rule("quota.view_own")
def may_view_own(user, record=None) -> bool:
    """SMEs see their applications and why they may or may not apply."""
    return acts_as(user, "enterprise")


@rule("quota.view")
def may_view(user, application) -> bool:
    """The SME that applied, its region's promotion centers and admins see an application."""
    return member_of(user, application.enterprise_id) or acts_for_region(user, application.region)


@rule("quota.decide")
def may_decide(user, application) -> bool:
    """The promotion center of the application's region (or an admin) grants, refuses and revokes."""
    return acts_for_region(user, application.region)


@rule("quota.review")
def may_review_queue(user, record=None) -> bool:
    """Promotion centers and admins have a queue of applications."""
    return signed_in(user) and (user.is_admin or user.organisation.is_center)


@rule("voucher.export")
def may_export_ledger(user, enterprise) -> bool:
    """An SME exports its own ledger; its region's center and admins export any SME's of the region."""
    return enterprise is not None and enterprise.is_enterprise and (
        member_of(user, enterprise.id) or acts_for_region(user, enterprise.city))


@rule("order.from_proposal")
def may_order_from_proposal(user, proposal) -> bool:
    """The SME whose need a proposal answers turns it into an order."""
    return acts_as(user, "enterprise") and member_of(user, proposal.need.organisation_id)
