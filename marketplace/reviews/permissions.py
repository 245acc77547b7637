"""Who may review a deal (once), reply to a review (once) and moderate reviews.

A deal is a contracted proposal or a delivered order (`order.review` lives with the order rules); the SME of
the deal reviews it, the reviewed vendor replies, promotion centers and admins hide or show reviews with a
reason and see hidden ones.
"""
from __future__ import annotations

from marketplace.permissions import acts_as, member_of, oversees, rule


def reviewer_org_id(deal) -> int | None:
    """Return the organisation that may review a deal: the SME of a proposal's need, or an order's buyer."""
    from marketplace.proposals.models import Proposal

    if isinstance(deal, Proposal):
        return deal.need.organisation_id
    return getattr(deal, "buyer_id", None)


@rule("review.write")
def may_write(user, deal) -> bool:
    """Only the SME of a deal reviews it (whether the deal is reviewable yet is checked by the review service)."""
    return acts_as(user, "enterprise") and member_of(user, reviewer_org_id(deal))


@rule("proposal.review")
def may_review_proposal(user, proposal) -> bool:
    """The SME reviews the provider of a contracted proposal, once."""
    from marketplace.proposals.models import ProposalState
    from marketplace.reviews.services import is_reviewed

    return (may_write(user, proposal) and proposal.state == ProposalState.CONTRACTED.value
            and not is_reviewed("proposal", proposal.id))


@rule("review.reply")
def may_reply(user, review) -> bool:
    """The reviewed vendor replies to a review, once."""
    return member_of(user, review.vendor_id) and review.reply is None


@rule("review.moderate")
def may_moderate(user, review=None) -> bool:
    """Promotion centers and admins hide a review or show it again, with a reason, and see hidden reviews."""
    return oversees(user)
