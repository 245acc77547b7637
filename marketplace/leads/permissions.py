"""Who has a leads inbox: the lead rules of `marketplace.permissions`.

A vendor's leads are the needs its own published listings answer; an admin or another kind of organisation
has none (an admin moderates needs and listings, it does not sell).
"""
from __future__ import annotations

from marketplace.permissions import acts_as, rule


@rule("lead.list")
def may_list_leads(user, record=None) -> bool:
    """Vendors read their leads inbox and mark its needs seen."""
    return acts_as(user, "vendor")
