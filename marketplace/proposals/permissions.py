"""Who may send, invite, read, move and talk in proposals: the proposal rules of `marketplace.permissions`.

The two sides of a proposal are the SME that posted the need and the proposing vendor. Promotion centers
and admins read proposals and their threads; they never send, answer, move or write in one. Whether a
proposal's *state* allows a move is the proposal process's business (`marketplace.proposals.process`).
"""
from __future__ import annotations

from marketplace.needs.selectors import is_visible_to
from marketplace.permissions import acts_as, member_of, oversees, rule, signed_in


def sme_side(user, proposal) -> bool:
    """Tell whether the user acts for the SME that posted the proposal's need."""
    return member_of(user, proposal.need.organisation_id)


def vendor_side(user, proposal) -> bool:
    """Tell whether the user acts for the proposing vendor."""
    return member_of(user, proposal.vendor_id)


def party(user, proposal) -> bool:
    """Tell whether the user acts for either side of a proposal."""
    return sme_side(user, proposal) or vendor_side(user, proposal)


@rule("proposal.list")
def may_list(user, record=None) -> bool:
    """Every signed-in organisation has a proposals page (received for SMEs, sent and invited for vendors)."""
    return signed_in(user)


@rule("proposal.send")
def may_send(user, need=None) -> bool:
    """Vendors send proposals for needs they may read."""
    return acts_as(user, "vendor") and (need is None or is_visible_to(need, user))


@rule("proposal.invite")
def may_invite(user, need) -> bool:
    """The SME that posted a need invites providers to propose for it."""
    return acts_as(user, "enterprise") and member_of(user, need.organisation_id)


@rule("proposal.list_for_need")
def may_list_for_need(user, need) -> bool:
    """The SME that posted a need sees every proposal and invitation for it on the need's page."""
    return member_of(user, need.organisation_id)


@rule("proposal.view")
def may_view(user, proposal) -> bool:
    """The two sides, promotion centers and admins read a proposal and its thread."""
    return oversees(user) or party(user, proposal)


@rule("proposal.message")
def may_message(user, proposal) -> bool:
    """Only the two sides write in a proposal's thread."""
    return party(user, proposal)


@rule("proposal.submit")
def may_submit(user, proposal) -> bool:
    """The invited vendor answers an invitation with its proposal."""
    return vendor_side(user, proposal)


@rule("proposal.revise")
def may_revise(user, proposal) -> bool:
    """The vendor revises its proposal's terms."""
    return vendor_side(user, proposal)


@rule("proposal.decline_invitation")
def may_decline_invitation(user, proposal) -> bool:
    """The invited vendor declines an invitation."""
    return vendor_side(user, proposal)


@rule("proposal.withdraw")
def may_withdraw(user, proposal) -> bool:
    """The vendor withdraws its proposal."""
    return vendor_side(user, proposal)


@rule("proposal.shortlist")
def may_shortlist(user, proposal) -> bool:
    """The SME shortlists a proposal."""
    return sme_side(user, proposal)


@rule("proposal.accept")
def may_accept(user, proposal) -> bool:
    """The SME accepts a proposal."""
    return sme_side(user, proposal)


@rule("proposal.decline")
def may_decline(user, proposal) -> bool:
    """The SME declines a proposal (or takes back an invitation)."""
    return sme_side(user, proposal)


@rule("proposal.confirm")
def may_confirm(user, proposal) -> bool:
    """Each side confirms the contract of an accepted proposal (once: the process refuses a second time)."""
    return party(user, proposal)
