"""Site-wide permission rules the navigation and the dashboard ask, for features without a rule module of their own.

- `analytics.view`: the full transformation map (funnel, searches, vouchers) — promotion centers and admins;
- `audit.view`: the audit log — admins;
- `accounts.manage`: the accounts page (activate, deactivate, reset) — admins.
"""
from __future__ import annotations

from marketplace.permissions import oversees, rule, signed_in


def is_admin(user) -> bool:
    """Tell whether the user is a signed-in platform admin."""
    return signed_in(user) and bool(user.is_admin)


@rule("analytics.view")
def may_view_analytics(user, record=None) -> bool:
    """Promotion centers and admins read the whole transformation map and its downloads."""
    return oversees(user)


@rule("audit.view")
def may_view_audit_log(user, record=None) -> bool:
    """Admins read the audit log."""
    return is_admin(user)


@rule("accounts.manage")
def may_manage_accounts(user, record=None) -> bool:
    """Admins manage accounts."""
    return is_admin(user)
