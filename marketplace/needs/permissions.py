"""Who may post, read, edit, close and moderate scenario needs, and who may see who posted one.

Admins moderate: they close any need with a reason (audited) but never post one — posting belongs to SMEs.
Whether a need's *status* allows a move is the need process's business (`marketplace.needs.process`).
"""
from __future__ import annotations

from marketplace.needs.selectors import is_visible_to
from marketplace.permissions import acts_as, can, member_of, rule, signed_in


@rule("need.post")
def may_post(user, record=None) -> bool:
    """SMEs post scenario needs; admins, vendors and centers do not."""
    return acts_as(user, "enterprise")


@rule("scenario.suggest")
def may_get_suggestions(user, record=None) -> bool:
    """Whoever chooses a record's scenario from its text gets suggestions: SMEs posting needs, centers curating
    showcase cases."""
    return acts_as(user, "enterprise") or acts_as(user, "center")


@rule("need.view")
def may_view(user, need) -> bool:
    """Public needs are read by everyone, registered-only ones by signed-in users; a held or hidden one only by its
    SME and its moderators."""
    return is_visible_to(need, user) or can(user, "moderation.see", need)


@rule("need.edit")
def may_edit(user, need) -> bool:
    """The SME that posted a need edits it (and sees its stale flag)."""
    return member_of(user, need.organisation_id)


@rule("need.close")
def may_close(user, need) -> bool:
    """The SME that posted a need closes it."""
    return member_of(user, need.organisation_id)


@rule("need.reopen")
def may_reopen(user, need) -> bool:
    """The SME that posted a need reopens it."""
    return member_of(user, need.organisation_id)


@rule("need.moderate")
def may_moderate(user, need=None) -> bool:
    """The need's moderators (its city's promotion center, admins) close it, with a reason kept in the audit log."""
    return can(user, "moderation.decide", need) if need is not None else can(user, "moderation.queue")


@rule("need.deal")
def may_move_with_a_deal(user, need) -> bool:
    """The SME, or a vendor whose proposal it accepted, moves the need along a deal (fired by the proposal process)."""
    from marketplace.proposals.services import accepted_need_ids

    return member_of(user, need.organisation_id) or (
        acts_as(user, "vendor") and need.id in accepted_need_ids(user.organisation_id, [need.id]))


@rule("need.see_owner")
def may_see_owner(user, need) -> bool:
    """Who posted a need (name and contact) may be shown to this user (see `owner_visible_ids`)."""
    return need.id in owner_visible_ids(user, [need])


def owner_visible_ids(user, needs) -> set[int]:
    """Return the ids of the needs whose poster the user may see, for a whole page in at most one query.

    Public needs show who posted them; registered-only ones show it to the SME itself, promotion centers
    and admins, and to a vendor once the SME accepted one of its proposals.
    """
    from marketplace.needs.models import Visibility
    from marketplace.proposals.services import accepted_need_ids

    needs = list(needs)
    shown = {n.id for n in needs if n.visibility == Visibility.PUBLIC.value}
    if not signed_in(user):
        return shown
    if user.is_admin or acts_as(user, "center"):
        return {n.id for n in needs}
    shown |= {n.id for n in needs if member_of(user, n.organisation_id)}
    rest = [n.id for n in needs if n.id not in shown]
    if rest and acts_as(user, "vendor"):
        shown |= accepted_need_ids(user.organisation_id, rest)
    return shown


@rule("need.digest")
def may_get_digest(user, record=None) -> bool:
    """Vendors choose whether to get the daily digest of new needs matching their listings."""
    return acts_as(user, "vendor")
