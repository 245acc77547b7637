"""What the existing services tell people: one function per event, called right after the state change.

Each builds the recipients, the words and the link of one kind of event and calls `notify`; the service's
caller commits, so the notification rows land in the same transaction as the change they announce.
"""
from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.notifications.services import notify, path_for


def agreement_awaiting_signature(agreement, version, actor: User) -> None:
    """Tell every other party of a new version of an agreement that it awaits their signature."""
    orgs = {p.organisation_id for p in version.parties}
    notify(orgs, "agreement_signature", {"title": agreement.title},
           path_for("resonance.detail", agreement_id=agreement.id),
           f"agreement:{agreement.id}:v{version.number}:sign", actor=actor)


def agreement_changed(agreement, actor: User) -> None:
    """Tell every party of an agreement (but the one who acted) its new state."""
    version = agreement.active_version or agreement.latest_version
    orgs = {p.organisation_id for v in agreement.versions for p in v.parties} if version else set()
    notify(orgs, "agreement_status", {"title": agreement.title, "state": agreement.state},
           path_for("resonance.detail", agreement_id=agreement.id),
           f"agreement:{agreement.id}:{agreement.state}:v{version.number if version else 0}", actor=actor)


def order_changed(order, actor: User) -> None:
    """Tell the other side of an order that it was paid, delivered, refunded or cancelled (and the webhooks)."""
    from marketplace.webhooks import events as webhooks

    webhooks.order_changed(order)
    link = path_for("orders.detail", order_id=order.id)
    key = f"order:{order.id}:{order.state}"
    if order.state == "cancelled":
        notify([order.vendor_id], "order_cancelled", {"title": order.title}, link, key, actor=actor)
    elif order.state == "paid":
        notify([order.buyer_id], "order_paid", {"title": order.title}, link, key, actor=actor)
    else:
        notify([order.buyer_id], "order_status", {"title": order.title, "state": order.state}, link, key,
               actor=actor)


def listing_taken_down(listing, actor: User, reason: str, link: str) -> None:
    """Tell a vendor that an admin took one of its listings down, and why."""
    title = getattr(listing, "title", None) or getattr(listing, "name", None) or listing.organisation.name
    notify([listing.organisation_id], "listing_taken_down", {"title": title, "reason": reason}, link,
           f"listing:{type(listing).__name__}:{listing.id}:moderated:{listing.updated_at}", actor=actor)


def badge_changed(profile, decision, actor: User) -> None:
    """Tell a vendor that the quality-provider badge was granted or removed."""
    if decision.action not in ("add", "remove"):
        return
    kind = "badge_granted" if decision.action == "add" else "badge_removed"
    notify([profile.organisation_id], kind, {"reason": decision.reason},
           path_for("catalog.provider_detail", listing_id=profile.id), f"directory:{decision.id}", actor=actor)


def need_changed(need, actor: User, exclude=frozenset(), tell_owner: bool = True) -> None:
    """Tell the vendors with live proposals for a need (and its SME, if someone else acted) its new status."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.notifications.services import now
    from marketplace.proposals.models import LIVE_STATES, Proposal

    vendor_ids = set(db.session.scalars(select(Proposal.vendor_id).where(
        Proposal.need_id == need.id, Proposal.state.in_(LIVE_STATES)))) - set(exclude)
    if tell_owner and getattr(actor, "organisation_id", None) != need.organisation_id:
        vendor_ids.add(need.organisation_id)
    notify(vendor_ids, "need_status", {"need": need.title, "state": need.status},
           path_for("needs.detail", need_id=need.id), f"need:{need.id}:{need.status}:{now():%Y%m%d%H%M%S%f}",
           actor=actor)


def proposal_link(proposal) -> str:
    """Return the path of a proposal's page."""
    return path_for("proposals.detail", proposal_id=proposal.id)


def proposal_received(proposal, actor: User) -> None:
    """Tell the SME that a vendor sent (or answered an invitation with) a proposal for its need (and the webhooks)."""
    from marketplace.webhooks import events as webhooks

    webhooks.proposal_received(proposal)
    notify([proposal.need.organisation_id], "proposal_received", {"need": proposal.need.title},
           proposal_link(proposal), f"proposal:{proposal.id}:submitted", actor=actor)


INVITATION_QUOTE = 300
"""The most characters of an invitation's message quoted in the notification (the proposal page has it whole)."""


def vendor_invited(proposal, actor: User) -> None:
    """Tell a vendor that an SME invited it to propose for a need, quoting the message sent with it."""
    params = {"need": proposal.need.title}
    message = proposal.invitation_message
    if message:
        params["message"] = message if len(message) <= INVITATION_QUOTE else message[:INVITATION_QUOTE - 1] + "…"
    notify([proposal.vendor_id], "invited_message" if message else "invited", params, proposal_link(proposal),
           f"proposal:{proposal.id}:invited", actor=actor)


def proposal_changed(proposal, actor: User, state: str | None = None, key: str | None = None) -> None:
    """Tell the other side of a proposal its new state (or that one side confirmed the contract), and webhooks."""
    other = proposal.vendor_id if actor.organisation_id == proposal.need.organisation_id \
        else proposal.need.organisation_id
    from marketplace.webhooks import events as webhooks

    state = state or proposal.state
    webhooks.proposal_changed(proposal, state)
    notify([other], "proposal_status", {"need": proposal.need.title, "state": state}, proposal_link(proposal),
           key or f"proposal:{proposal.id}:{state}", actor=actor)


def verification_submitted(request, actor: User) -> None:
    """Tell the promotion centers of the organisation's city that a business licence awaits their review."""
    from sqlalchemy import select

    from marketplace.accounts.models import Organisation, OrgKind
    from marketplace.extensions import db

    centers = db.session.scalars(select(Organisation.id).where(Organisation.kind == OrgKind.CENTER.value,
                                                               Organisation.city == request.organisation.city))
    notify(set(centers), "verification_submitted", {"org": request.organisation.name},
           path_for("trust.queue"), f"verification:{request.id}:submitted", actor=actor)


def verification_decided(request, actor: User) -> None:
    """Tell an organisation's users that their business licence was approved or rejected (and why)."""
    kind = "verification_approved" if request.state == "approved" else "verification_rejected"
    notify([request.organisation_id], kind, {"by": actor.organisation.name, "reason": request.reason or ""},
           path_for("trust.verification"), f"verification:{request.id}:{request.state}", actor=actor)


def verification_revoked(org, reason: str, actor: User) -> None:
    """Tell an organisation's users that an admin revoked its verification, and why."""
    from marketplace.notifications.services import now

    notify([org.id], "verification_revoked", {"reason": reason}, path_for("trust.verification"),
           f"verification:org{org.id}:revoked:{now():%Y%m%d%H%M%S%f}", actor=actor)


def evaluation_named(evaluation, actor: User) -> None:
    """Tell an evaluator organisation that a vendor names it as the evaluator of a result, awaiting its answer."""
    from marketplace.notifications.services import now

    notify([evaluation.evaluator_org_id], "evaluation_requested",
           {"org": evaluation.model.organisation.name, "metric": evaluation.metric, "model": evaluation.model.name},
           path_for("trust.attestations"), f"evaluation:{evaluation.id}:named:{now():%Y%m%d%H%M%S%f}", actor=actor)


def evaluation_answered(evaluation, actor: User) -> None:
    """Tell a model's vendor that the evaluator it named attested or declined a result."""
    from marketplace.notifications.services import now

    kind = "evaluation_attested" if evaluation.attestation == "attested" else "evaluation_declined"
    notify([evaluation.model.organisation_id], kind,
           {"by": actor.organisation.name, "metric": evaluation.metric, "model": evaluation.model.name,
            "reason": evaluation.attestation_note or ""},
           path_for("catalog.model_detail", listing_id=evaluation.model_id),
           f"evaluation:{evaluation.id}:{evaluation.attestation}:{now():%Y%m%d%H%M%S%f}", actor=actor)
