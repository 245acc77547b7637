"""Who may curate, publish, feature, take down and read showcase cases, and who decides about the directory.

Promotion centers curate their own cases and decide about the quality provider directory. Admins
moderate: they take any public case down with a reason (`case.moderate`) and read every case and the
directory history, but they do not curate cases or make directory decisions.
"""
from __future__ import annotations

from marketplace.cases.selectors import is_public
from marketplace.permissions import acts_as, can, member_of, oversees, rule, signed_in


def is_admin(user) -> bool:
    """Tell whether the user is a signed-in platform admin."""
    return signed_in(user) and bool(user.is_admin)


@rule("case.curate")
def may_curate(user, case=None) -> bool:
    """Promotion centers create cases and edit the ones they curate."""
    return acts_as(user, "center") and (case is None or member_of(user, case.center_id))


@rule("case.publish")
def may_publish(user, case) -> bool:
    """The curating center publishes a case or takes it back to a draft."""
    return may_curate(user, case)


@rule("case.feature")
def may_feature(user, case) -> bool:
    """The curating center features a published case, or stops featuring it."""
    return may_curate(user, case)


@rule("case.moderate")
def may_moderate(user, case=None) -> bool:
    """The case's moderators (its center's city's promotion center, admins) take it down to a draft, with a reason."""
    return can(user, "moderation.decide", case) if case is not None else can(user, "moderation.queue")


@rule("case.view")
def may_view(user, case) -> bool:
    """Everybody reads public cases; drafts only the curating center and admins."""
    return is_public(case) or is_admin(user) or may_curate(user, case) or can(user, "moderation.see", case)


@rule("directory.manage")
def may_manage_directory(user, profile=None) -> bool:
    """Promotion centers add, renew and remove providers in the quality provider directory."""
    return acts_as(user, "center")


@rule("directory.history")
def may_read_directory_history(user, profile=None) -> bool:
    """Promotion centers and admins read every directory decision about a provider."""
    return oversees(user)
