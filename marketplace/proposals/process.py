"""The proposal process: invited / submitted → shortlisted → accepted → (both sides confirm) → contracted.

| transition | from | to | actor | effects |
|---|---|---|---|---|
| submit | invited | submitted | the invited vendor, through the proposal form | the terms are stored; the SME is told |
| shortlist | submitted | shortlisted | the SME | the vendor is told |
| accept | submitted, shortlisted | accepted | the SME, after a page showing the price, the 模型券 part, what it pays and the revenue shares | the need starts talks (`start_talks`, the other bidders are told); the vendor is told; the SME's name and contact show to that vendor (rule `need.see_owner`) |
| decline | invited, submitted, shortlisted | declined | the SME | the vendor is told |
| decline_invitation | invited | declined | the invited vendor | the SME is told |
| withdraw | submitted, shortlisted, accepted | withdrawn | the vendor | the SME is told |
| revise | submitted, shortlisted | (unchanged) | the vendor, through the proposal form or the API | the new terms replace the old (the audit row keeps the price replaced); the SME is told |
| confirm | accepted | contracted once both sides confirmed | each side, once | the other side is told; with the second confirmation the need is contracted (`contract`) |

A proposal sent without an invitation starts as submitted (`proposals.services.send_proposal`). Every move
is audited (`marketplace.process`).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.audit.services import record_audit
from marketplace.notifications.events import proposal_changed, proposal_received
from marketplace.process import Firing, Process, Transition
from marketplace.proposals.models import ProposalState
from marketplace.states import IllegalTransition

INVITED, SUBMITTED = ProposalState.INVITED.value, ProposalState.SUBMITTED.value
SHORTLISTED, ACCEPTED = ProposalState.SHORTLISTED.value, ProposalState.ACCEPTED.value
CONTRACTED, DECLINED, WITHDRAWN = (ProposalState.CONTRACTED.value, ProposalState.DECLINED.value,
                                   ProposalState.WITHDRAWN.value)

FORM_ONLY = frozenset({"submit", "revise"})
"""Transitions made through a form of their own, never as a bare button."""


def confirmed_at_attr(proposal, user) -> str:
    """Return the attribute holding the user's side's contract confirmation."""
    return "sme_confirmed_at" if user.organisation_id == proposal.need.organisation_id else "vendor_confirmed_at"


def store_terms(proposal, user, firing: Firing) -> None:
    """Store the answered invitation's offerings, price, plan and message."""
    terms = firing.values["terms"]
    proposal.offerings = terms["offerings"]
    proposal.price_fen, proposal.plan, proposal.message = terms["price_fen"], terms["plan"], terms["message"]


def tell_sme(proposal, user, firing: Firing) -> None:
    """Tell the SME that the proposal arrived."""
    proposal_received(proposal, user)


def tell_other_side(proposal, user, firing: Firing) -> None:
    """Tell the other side the proposal's new state."""
    proposal_changed(proposal, user)


def tell_revised(proposal, user, firing: Firing) -> None:
    """Tell the SME that the vendor revised its proposal (every revision once)."""
    proposal_changed(proposal, user, state="revised", key=f"proposal:{proposal.id}:revised:{firing.when:%Y%m%d%H%M%S%f}")


def start_talks(proposal, user, firing: Firing) -> None:
    """Accepting a proposal for an open need puts the need in talks."""
    from marketplace.needs.models import NeedStatus
    from marketplace.needs.process import NEED

    if proposal.need.status == NeedStatus.OPEN.value:
        NEED.fire(proposal.need_id, "start_talks", user, firing.when, vendor_id=proposal.vendor_id)


def not_confirmed_yet(proposal, user, firing: Firing) -> None:
    """Refuse a second confirmation by the same side."""
    if getattr(proposal, confirmed_at_attr(proposal, user)) is not None:
        raise IllegalTransition(_("Your side has already confirmed the contract."))


def record_confirmation(proposal, user, firing: Firing) -> None:
    """Record one side's confirmation; the second one contracts the proposal and its need."""
    from marketplace.needs.process import NEED

    setattr(proposal, confirmed_at_attr(proposal, user), firing.when)
    if proposal.sme_confirmed_at is None or proposal.vendor_confirmed_at is None:
        side = "sme" if confirmed_at_attr(proposal, user) == "sme_confirmed_at" else "vendor"
        proposal_changed(proposal, user, state="confirmed", key=f"proposal:{proposal.id}:confirmed:{side}")
        return
    proposal.state = CONTRACTED
    record_audit("proposal.contracted", user, proposal)
    NEED.fire(proposal.need_id, "contract", user, firing.when, vendor_id=proposal.vendor_id)
    proposal_changed(proposal, user)


def load_locked(proposal_id: int):
    """Lock and load a proposal (see `marketplace.locks`)."""
    from marketplace.proposals.services import lock_proposal

    return lock_proposal(proposal_id)


PROPOSAL = Process("proposal", [
    Transition("submit", frozenset({INVITED}), SUBMITTED, "proposal.submit", _l("Write the proposal"),
               effects=(store_terms, tell_sme)),
    Transition("shortlist", frozenset({SUBMITTED}), SHORTLISTED, "proposal.shortlist", _l("Shortlist"),
               effects=(tell_other_side,), style="secondary"),
    Transition("accept", frozenset({SUBMITTED, SHORTLISTED}), ACCEPTED, "proposal.accept", _l("Accept"),
               effects=(start_talks, tell_other_side), confirm="proposals.confirm_accept",
               done=_l("This proposal has already been accepted.")),
    Transition("decline", frozenset({INVITED, SUBMITTED, SHORTLISTED}), DECLINED, "proposal.decline",
               _l("Decline"), effects=(tell_other_side,), style="secondary"),
    Transition("decline_invitation", frozenset({INVITED}), DECLINED, "proposal.decline_invitation",
               _l("Decline the invitation"), effects=(tell_other_side,), style="secondary"),
    Transition("withdraw", frozenset({SUBMITTED, SHORTLISTED, ACCEPTED}), WITHDRAWN, "proposal.withdraw",
               _l("Withdraw"), effects=(tell_other_side,), style="secondary"),
    Transition("revise", frozenset({SUBMITTED, SHORTLISTED}), None, "proposal.revise", _l("Revise the proposal"),
               effects=(store_terms, tell_revised), style="secondary", audit="proposal.revised"),
    Transition("confirm", frozenset({ACCEPTED}), None, "proposal.confirm", _l("Confirm the contract"),
               guards=(not_confirmed_yet,), effects=(record_confirmation,), audit="proposal.confirmed"),
], load_locked=load_locked)


def page_moves(proposal, user) -> list[Transition]:
    """Return the buttons of a proposal's page for this user (answering an invitation has its own form)."""
    return [t for t in PROPOSAL.available(proposal, user) if t.name not in FORM_ONLY]
