"""Who may use the subsidy estimator: the policy rules of `marketplace.permissions`."""
from __future__ import annotations

from marketplace.permissions import acts_as, rule


@rule("subsidy.estimate")
def may_estimate(user, record=None) -> bool:
    """SMEs estimate what they may claim for a planned purchase or project (the rules page is public)."""
    return acts_as(user, "enterprise")
