"""Who may import listings and read an import's progress and report."""
from __future__ import annotations

from marketplace.permissions import acts_as, can, member_of, rule


@rule("import.start")
def may_start(user, record=None) -> bool:
    """Whoever may create listings (a vendor's members) imports them in bulk."""
    return can(user, "listing.create")


@rule("import.view")
def may_view(user, job) -> bool:
    """The members of the vendor that uploaded the file follow the import and read its report."""
    return acts_as(user, "vendor") and member_of(user, job.organisation_id)
