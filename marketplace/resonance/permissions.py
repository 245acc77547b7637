"""Who may draft, see, sign, amend and terminate 模数共振 agreements, read statements and select demonstrations."""
from __future__ import annotations

from marketplace.permissions import acts_as, oversees, rule, signed_in


def party_org_ids(agreement) -> set[int]:
    """Return every organisation that is a party to any version of an agreement."""
    return {p.organisation_id for v in agreement.versions for p in v.parties}


@rule("agreement.list")
def may_list(user, record=None) -> bool:
    """Every signed-in organisation has an agreements page (its own; centers and admins see all)."""
    return signed_in(user)


@rule("agreement.overview")
def may_overview(user, record=None) -> bool:
    """Promotion centers and admins see every agreement, party and total."""
    return oversees(user)


@rule("agreement.draft")
def may_draft(user, record=None) -> bool:
    """Vendors and SMEs draft agreements they are a party to."""
    return acts_as(user, "vendor") or acts_as(user, "enterprise")


@rule("agreement.view")
def may_view(user, agreement) -> bool:
    """Parties, promotion centers and admins see an agreement."""
    return oversees(user) or (signed_in(user) and user.organisation_id in party_org_ids(agreement))


@rule("agreement.sign")
def may_sign(user, agreement) -> bool:
    """A party of the version awaiting signature signs it (once: the process refuses a second signature)."""
    pending = agreement.pending_version
    return signed_in(user) and pending is not None and any(
        p.organisation_id == user.organisation_id for p in pending.parties)


@rule("agreement.amend")
def may_amend(user, agreement) -> bool:
    """Any party proposes new terms."""
    return signed_in(user) and user.organisation_id in party_org_ids(agreement)


@rule("agreement.terminate")
def may_terminate(user, agreement) -> bool:
    """A party of the version in force (or of the draft) ends the agreement."""
    version = agreement.active_version or agreement.latest_version
    return signed_in(user) and version is not None and any(
        p.organisation_id == user.organisation_id for p in version.parties)


@rule("statement.view")
def may_view_statement(user, party_id=None) -> bool:
    """A party reads its own statement; promotion centers and admins read anyone's, or all."""
    return oversees(user) or (signed_in(user) and party_id == user.organisation_id)


@rule("demonstration.select")
def may_select_demonstration(user, record=None) -> bool:
    """Promotion centers select 模数共振 demonstration cases."""
    return acts_as(user, "center")
