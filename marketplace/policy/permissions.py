"""Who may use the subsidy estimator: the policy rules of `marketplace.permissions`."""
from __future__ import annotations

from marketplace.permissions import acts_as, rule


@rule("subsidy.estimate")
def may_estimate(user, record=None) -> bool:
    """SMEs estimate what they may claim for a planned purchase or project (the rules page is public)."""
    return acts_as(user, "enterprise")


@rule("policy.edit_region")
def may_edit_region(user, region=None) -> bool:
    """A promotion center edits its own city's instruments; admins edit every region's."""
    from marketplace.vouchers.permissions import acts_for_region

    return acts_for_region(user, region)


@rule("policy.edit")
def may_edit_some_region(user, record=None) -> bool:
    """Promotion centers and admins have the instrument editing page."""
    from marketplace.permissions import signed_in

    return signed_in(user) and (user.is_admin or user.organisation.is_center)
