"""Who takes a self-assessment, who reads a diagnosis report, who keeps enterprise files and confirms levels.

An enterprise (SME) assesses itself. A promotion center keeps the files of the enterprises in its own city:
it records diagnosis visits, confirms levels and keeps follow-ups; admins do so for every city. A report is
read by the enterprise itself, the centers of its city and admins — nobody else.
"""
from __future__ import annotations

from marketplace.permissions import acts_as, member_of, rule, signed_in


def is_admin(user) -> bool:
    """Tell whether the user is a signed-in platform admin."""
    return signed_in(user) and bool(user.is_admin)


def covers(user, org) -> bool:
    """Tell whether the user keeps this enterprise's file: a center of its city, or an admin."""
    if org is None or not getattr(org, "is_enterprise", False):
        return False
    return is_admin(user) or (acts_as(user, "center") and user.organisation.city == org.city)


@rule("diagnosis.assess")
def may_assess(user, org=None) -> bool:
    """An enterprise takes the self-assessment for itself."""
    return acts_as(user, "enterprise") and (org is None or member_of(user, org.id))


@rule("diagnosis.view")
def may_view(user, org) -> bool:
    """The enterprise, the centers of its city and admins read its assessments and diagnosis reports."""
    return member_of(user, getattr(org, "id", None)) or covers(user, org)


@rule("diagnosis.files")
def may_keep_files(user, record=None) -> bool:
    """Promotion centers keep their region's enterprise files (建档立卡); admins see every city's."""
    return acts_as(user, "center") or is_admin(user)


@rule("diagnosis.record_visit")
def may_record_visit(user, org) -> bool:
    """A center of the enterprise's city (admins: any) records a diagnosis visit."""
    return covers(user, org)


@rule("diagnosis.confirm")
def may_confirm(user, visit) -> bool:
    """A center of the enterprise's city (admins: any) confirms the level a visit found."""
    return covers(user, visit.organisation)


@rule("diagnosis.follow_up")
def may_follow_up(user, record) -> bool:
    """A center of the enterprise's city (admins: any) keeps its follow-ups (record: the enterprise or an item)."""
    org = getattr(record, "organisation", record)
    return covers(user, org)
