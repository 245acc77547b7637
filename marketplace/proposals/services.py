"""Proposal services: send, invite, move through the state table, confirm the contract, talk, find stale needs.

Every change tells the other side through `notify` inside the same transaction; the caller commits once.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from marketplace.accounts.models import Organisation, User
from marketplace.catalog.models import Offering
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.needs.models import NEED_TRANSITIONS, Need, NeedStatus
from marketplace.notifications.services import notify, path_for
from marketplace.proposals.models import (
    ACTION_SIDES,
    LIVE_STATES,
    PROPOSAL_TRANSITIONS,
    Message,
    Proposal,
    ProposalState,
)
from marketplace.states import IllegalTransition, next_state

MAX_MESSAGE = 4000


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(timezone.utc)


def link_for(proposal: Proposal) -> str:
    """Return the path of a proposal's page."""
    return path_for("proposals.detail", proposal_id=proposal.id)


def require_vendor(user: User) -> Organisation:
    """Return the user's vendor organisation, or refuse."""
    if not user.is_authenticated or not user.organisation.is_vendor:
        raise PermissionDenied()
    return user.organisation


def existing_proposal(need: Need, vendor_id: int) -> Proposal | None:
    """Return the vendor's proposal (or invitation) for a need, if any."""
    return db.session.scalar(select(Proposal).where(Proposal.need_id == need.id, Proposal.vendor_id == vendor_id))


def own_offerings(vendor_id: int, offering_ids) -> list[Offering]:
    """Return the given offerings, refusing any that are not the vendor's own published ones."""
    ids = sorted({int(i) for i in offering_ids or []})
    offerings = list(db.session.scalars(select(Offering).where(Offering.id.in_(ids)))) if ids else []
    if len(offerings) != len(ids) or any(o.organisation_id != vendor_id or not o.is_published for o in offerings):
        raise DomainError(_("Attach only your own published offerings."), "offerings")
    return offerings


def send_proposal(need: Need, user: User, offering_ids, price_fen: int | None, plan: str,
                  message: str) -> Proposal:
    """Send (or answer an invitation with) a proposal for an open need; the SME is told."""
    vendor = require_vendor(user)
    if need.status not in (NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value):
        raise DomainError(_("This need no longer takes proposals."))
    if price_fen is not None and price_fen <= 0:
        raise DomainError(_("The quoted price must be greater than zero."), "price")
    if not (plan or "").strip():
        raise DomainError(_("Describe your plan."), "plan")
    offerings = own_offerings(vendor.id, offering_ids)
    proposal = existing_proposal(need, vendor.id)
    if proposal is None:
        proposal = Proposal(need=need, vendor=vendor, state=ProposalState.SUBMITTED.value)
        db.session.add(proposal)
    else:
        proposal.state = next_state(PROPOSAL_TRANSITIONS, "submit", proposal.state).value
    proposal.offerings = offerings
    proposal.price_fen, proposal.plan, proposal.message = price_fen, plan.strip(), (message or "").strip() or None
    db.session.flush()
    notify([need.organisation_id], "proposal_received", {"need": need.title}, link_for(proposal),
           f"proposal:{proposal.id}:submitted", actor=user)
    return proposal


def invite_vendor(need: Need, vendor_id: int, user: User) -> Proposal:
    """Invite a vendor to propose for one of the SME's open needs; the vendor is told."""
    if not user.is_authenticated or need.organisation_id != user.organisation_id:
        raise PermissionDenied()
    vendor = db.session.get(Organisation, vendor_id)
    if vendor is None or not vendor.is_vendor:
        raise DomainError(_("Only service providers can be invited."))
    if need.status not in (NeedStatus.OPEN.value, NeedStatus.IN_TALKS.value):
        raise DomainError(_("This need no longer takes proposals."))
    if existing_proposal(need, vendor_id) is not None:
        raise DomainError(_("This provider is already invited or has already proposed."))
    proposal = Proposal(need=need, vendor=vendor, state=ProposalState.INVITED.value, invited_by_id=user.id)
    db.session.add(proposal)
    db.session.flush()
    notify([vendor_id], "invited", {"need": need.title}, link_for(proposal), f"proposal:{proposal.id}:invited",
           actor=user)
    return proposal


def ensure_party(proposal: Proposal, user: User) -> str:
    """Return the user's side of the proposal ("sme" or "vendor"), or refuse."""
    side = proposal.side_of(user.organisation_id) if user.is_authenticated else None
    if side is None:
        raise PermissionDenied()
    return side


def can_view_proposal(proposal: Proposal, user: User) -> bool:
    """The two parties, promotion centers and admins may read a proposal."""
    if not user.is_authenticated:
        return False
    return user.is_admin or user.organisation.is_center or proposal.side_of(user.organisation_id) is not None


def other_side(proposal: Proposal, side: str) -> int:
    """Return the organisation id of the other party."""
    return proposal.vendor_id if side == "sme" else proposal.need.organisation_id


def change_proposal(proposal: Proposal, action: str, user: User) -> Proposal:
    """Shortlist, accept, decline or withdraw a proposal; the other side is told of the new state."""
    side = ensure_party(proposal, user)
    if action not in ACTION_SIDES or action in ("submit", "confirm"):
        raise IllegalTransition(_("Unknown action."))
    if side not in ACTION_SIDES[action]:
        raise PermissionDenied()
    if action == "decline" and side == "vendor" and proposal.state != ProposalState.INVITED.value:
        raise IllegalTransition(_("Withdraw your proposal instead."))
    proposal.state = next_state(PROPOSAL_TRANSITIONS, action, proposal.state).value
    if action == "accept" and proposal.need.status == NeedStatus.OPEN.value:
        proposal.need.status = next_state(NEED_TRANSITIONS, "start_talks", proposal.need.status).value
    notify([other_side(proposal, side)], "proposal_status", {"need": proposal.need.title, "state": proposal.state},
           link_for(proposal), f"proposal:{proposal.id}:{proposal.state}", actor=user)
    if action == "accept":
        notify_need_status(proposal.need, user, exclude={proposal.vendor_id})
    return proposal


def confirm_contract(proposal: Proposal, user: User, when: datetime | None = None) -> Proposal:
    """Record one side's contract confirmation; when both confirmed, the proposal and the need are contracted."""
    side = ensure_party(proposal, user)
    next_state(PROPOSAL_TRANSITIONS, "confirm", proposal.state)
    when = when or now()
    if side == "sme":
        if proposal.sme_confirmed_at is not None:
            raise IllegalTransition(_("Your side has already confirmed the contract."))
        proposal.sme_confirmed_at = when
    else:
        if proposal.vendor_confirmed_at is not None:
            raise IllegalTransition(_("Your side has already confirmed the contract."))
        proposal.vendor_confirmed_at = when
    if proposal.sme_confirmed_at and proposal.vendor_confirmed_at:
        proposal.state = next_state(PROPOSAL_TRANSITIONS, "contract", proposal.state).value
        need = proposal.need
        if need.status == NeedStatus.OPEN.value:
            need.status = next_state(NEED_TRANSITIONS, "start_talks", need.status).value
        need.status = next_state(NEED_TRANSITIONS, "contract", need.status).value
        notify([other_side(proposal, side)], "proposal_status", {"need": need.title, "state": proposal.state},
               link_for(proposal), f"proposal:{proposal.id}:contracted", actor=user)
        notify_need_status(need, user, exclude={proposal.vendor_id}, tell_owner=False)
    else:
        notify([other_side(proposal, side)], "proposal_status", {"need": proposal.need.title, "state": "confirmed"},
               link_for(proposal), f"proposal:{proposal.id}:confirmed:{side}", actor=user)
    return proposal


def notify_need_status(need: Need, user: User, exclude: set[int] = frozenset(), tell_owner: bool = True) -> None:
    """Tell the vendors with live proposals for a need (and its owner, if someone else acted) its new status."""
    vendor_ids = set(db.session.scalars(select(Proposal.vendor_id).where(
        Proposal.need_id == need.id, Proposal.state.in_(LIVE_STATES)))) - set(exclude)
    if tell_owner and user.organisation_id != need.organisation_id:
        vendor_ids.add(need.organisation_id)
    notify(vendor_ids, "need_status", {"need": need.title, "state": need.status},
           path_for("needs.detail", need_id=need.id), f"need:{need.id}:{need.status}:{now():%Y%m%d%H%M%S%f}",
           actor=user)


def proposals_for_need(need: Need) -> list[Proposal]:
    """Return every proposal and invitation for a need, newest first."""
    return list(db.session.scalars(select(Proposal).where(Proposal.need_id == need.id)
                                   .order_by(Proposal.updated_at.desc(), Proposal.id.desc())))


def proposals_for(org: Organisation) -> list[Proposal]:
    """Return an organisation's proposals: received (SME) or sent and invited (vendor), newest first."""
    stmt = select(Proposal)
    stmt = stmt.where(Proposal.vendor_id == org.id) if org.is_vendor else \
        stmt.join(Proposal.need).where(Need.organisation_id == org.id)
    return list(db.session.scalars(stmt.order_by(Proposal.updated_at.desc(), Proposal.id.desc())))


def accepted_vendor(need: Need, vendor_id: int) -> bool:
    """Tell whether the SME accepted a proposal of this vendor for the need."""
    return bool(db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.need_id == need.id, Proposal.vendor_id == vendor_id,
        Proposal.state.in_((ProposalState.ACCEPTED.value, ProposalState.CONTRACTED.value)))))


# ---- messages ------------------------------------------------------------------------------------


def post_message(proposal: Proposal, user: User, body: str) -> Message:
    """Add a plain-text message to a proposal's thread (parties only)."""
    ensure_party(proposal, user)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), "body")
    if len(body) > MAX_MESSAGE:
        raise DomainError(_("A message can be at most %(n)s characters.", n=MAX_MESSAGE), "body")
    message = Message(proposal=proposal, sender_org_id=user.organisation_id, sender_user_id=user.id, body=body)
    db.session.add(message)
    return message


def read_thread(proposal: Proposal, user: User) -> list[Message]:
    """Return a thread's messages and mark those from the other side read (parties only)."""
    side = ensure_party(proposal, user) if proposal.side_of(user.organisation_id) else None
    messages = list(proposal.messages)
    if side is not None:
        for message in messages:
            if message.sender_org_id != user.organisation_id and message.read_at is None:
                message.read_at = now()
    return messages


def unread_messages(user: User) -> int:
    """Count messages to the user's organisation that nobody there has read yet."""
    if not user.is_authenticated:
        return 0
    org_id = user.organisation_id
    return db.session.scalar(
        select(func.count()).select_from(Message).join(Message.proposal).join(Proposal.need)
        .where(Message.read_at.is_(None), Message.sender_org_id != org_id,
               or_(Proposal.vendor_id == org_id, Need.organisation_id == org_id))) or 0


# ---- stale needs --------------------------------------------------------------------------------


def is_stale(need: Need, today: date | None = None) -> bool:
    """Tell whether an open need's deadline passed without proposal activity since."""
    today = today or date.today()
    if need.status != NeedStatus.OPEN.value or need.deadline is None or need.deadline >= today:
        return False
    deadline = datetime.combine(need.deadline, datetime.min.time())
    return not db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.need_id == need.id, Proposal.updated_at >= deadline))


def hidden_stale_need_ids(today: date | None = None) -> set[int]:
    """Return ids of open needs stale for longer than the grace period: kept from vendors' leads."""
    today = today or date.today()
    cutoff = today - timedelta(days=int(current_app.config["NEED_STALE_GRACE_DAYS"]))
    candidates = db.session.scalars(select(Need).where(Need.status == NeedStatus.OPEN.value,
                                                       Need.deadline.is_not(None), Need.deadline < cutoff))
    return {n.id for n in candidates if is_stale(n, today)}
