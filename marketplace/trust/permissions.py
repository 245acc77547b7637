"""What verification decides, in one place.

An organisation registers itself; until a promotion center (or an admin) verifies it, it may browse, post
needs and keep listings as drafts, but holds no 模型券 quota and none of its offerings can be 模型券-eligible.
Every voucher rule asks these two rules rather than `is_verified` directly.
"""
from __future__ import annotations

from marketplace.permissions import rule


@rule("organisation.hold_vouchers")
def may_hold_vouchers(user, org) -> bool:
    """A verified enterprise may apply for and spend a 模型券 quota (the user is not consulted)."""
    return org is not None and org.is_enterprise and org.is_verified


@rule("organisation.offer_vouchers")
def may_offer_vouchers(user, org) -> bool:
    """A verified vendor's offerings may be 模型券-eligible (the user is not consulted)."""
    return org is not None and org.is_vendor and org.is_verified
