"""Proposal services: send, invite, move through the proposal process, read what a page shows, talk, find stale needs.

State changes go through `PROPOSAL.fire` (`marketplace.proposals.process`); every change tells the other
side inside the same transaction; the caller commits once.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from marketplace.accounts.models import Organisation, User
from marketplace.catalog.models import Offering
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.locks import load_locked
from marketplace.needs.models import Need
from marketplace.needs.selectors import is_live, stale_condition
from marketplace.notifications.events import proposal_received, vendor_invited
from marketplace.permissions import can, require
from marketplace.proposals.models import SHARED_STATES, Message, Proposal, ProposalState

MAX_MESSAGE = 4000
PLAN_MIN, PLAN_MAX = 10, 5000
COVER_MAX = 2000
"""The lengths of a proposal's plan and of its covering message: the form and the API ask at least PLAN_MIN (a
plan worth reading); the service refuses anything longer than the maxima, whoever calls it."""
INVITATION_MAX = 1000
"""The most characters of the SME's message sent with an invitation (the form and the service both refuse more)."""
INVITABLE_KINDS = ("offering", "provider")
"""Match cards that stand for a vendor the SME can invite (a model card or a case names no one to invite)."""


def now() -> datetime:
    """Return the current UTC time."""
    return datetime.now(UTC)


def lock_proposal(proposal_id: int) -> Proposal:
    """Load a proposal with its row locked for this transaction, fresh from the database."""
    return load_locked(Proposal, proposal_id)


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


def attachable_offerings(vendor_id: int) -> list[Offering]:
    """Return the vendor's published offerings a proposal may attach."""
    from marketplace.catalog.selectors import published

    return list(db.session.scalars(published(Offering).where(Offering.organisation_id == vendor_id)
                                   .order_by(Offering.id)))


def proposal_terms(vendor_id: int, offering_ids, price_fen: int | None, plan: str, message: str | None) -> dict:
    """Check a proposal's terms (own published offerings, a price above zero, a plan) and return them."""
    if price_fen is not None and price_fen <= 0:
        raise DomainError(_("The quoted price must be greater than zero."), "price")
    plan = (plan or "").strip()
    if not plan:
        raise DomainError(_("Describe your plan."), "plan")
    if len(plan) > PLAN_MAX:
        raise DomainError(_("A plan can be at most %(n)s characters.", n=PLAN_MAX), "plan")
    cover = (message or "").strip() or None
    if cover is not None and len(cover) > COVER_MAX:
        raise DomainError(_("A message can be at most %(n)s characters.", n=COVER_MAX), "message")
    return {"offerings": own_offerings(vendor_id, offering_ids), "price_fen": price_fen, "plan": plan,
            "message": cover}


def send_proposal(need: Need, user: User, offering_ids, price_fen: int | None, plan: str,
                  message: str) -> Proposal:
    """Send (or answer an invitation with) a proposal for a live need; the SME is told."""
    require(user, "proposal.send", need)
    if not is_live(need):
        raise DomainError(_("This need no longer takes proposals."))
    terms = proposal_terms(user.organisation_id, offering_ids, price_fen, plan, message)
    proposal = existing_proposal(need, user.organisation_id)
    if proposal is not None:
        from marketplace.proposals.process import PROPOSAL

        return PROPOSAL.fire(proposal.id, "submit", user, terms=terms)
    proposal = Proposal(need=need, vendor_id=user.organisation_id, state=ProposalState.SUBMITTED.value,
                        offerings=terms["offerings"], price_fen=price_fen, plan=terms["plan"],
                        message=terms["message"])
    db.session.add(proposal)
    db.session.flush()
    from marketplace.audit.services import record_audit

    record_audit("proposal.submitted", user, proposal)
    proposal_received(proposal, user)
    return proposal


def revise_proposal(proposal: Proposal, user: User, offering_ids, price_fen: int | None, plan: str,
                    message: str | None) -> Proposal:
    """Replace the terms of a submitted or shortlisted proposal (the vendor, while the need is live); the SME is
    told, and the audit log keeps the price it replaced."""
    from marketplace.proposals.process import PROPOSAL

    require(user, "proposal.revise", proposal)
    if not is_live(proposal.need):
        raise DomainError(_("This need no longer takes proposals."))
    terms = proposal_terms(proposal.vendor_id, offering_ids, price_fen, plan, message)
    return PROPOSAL.fire(proposal.id, "revise", user, terms=terms, previous_price_fen=proposal.price_fen or 0)


class AlreadyInvited(DomainError):
    """The vendor is already invited to (or has already proposed for) the need: nothing changed."""

    def __init__(self, proposal: Proposal):
        """Hold the existing invitation or proposal."""
        super().__init__(_("This provider is already invited or has already proposed."))
        self.proposal = proposal


def invitation_text(message: str | None) -> str | None:
    """Check the SME's optional invitation message and return it trimmed (None when empty)."""
    text = (message or "").strip() or None
    if text is not None and len(text) > INVITATION_MAX:
        raise DomainError(_("A message can be at most %(n)s characters.", n=INVITATION_MAX), "message")
    return text


def invite_vendor(need: Need, vendor_id: int, user: User, message: str | None = None) -> Proposal:
    """Invite a vendor to propose for one of the SME's live needs, with an optional message; the vendor is told.

    A vendor already invited (or already proposing) is not invited twice: `AlreadyInvited` carries the existing
    invitation or proposal, so a page can say when the invitation went out.
    """
    require(user, "proposal.invite", need)
    vendor = db.session.get(Organisation, vendor_id)
    if vendor is None or not vendor.is_vendor:
        raise DomainError(_("Only service providers can be invited."))
    if not is_live(need):
        raise DomainError(_("This need no longer takes proposals."))
    text = invitation_text(message)
    existing = existing_proposal(need, vendor_id)
    if existing is not None:
        raise AlreadyInvited(existing)
    proposal = Proposal(need=need, vendor=vendor, state=ProposalState.INVITED.value, invited_by_id=user.id,
                        invitation_message=text)
    db.session.add(proposal)
    db.session.flush()
    vendor_invited(proposal, user)
    return proposal


def invitations_sent(need: Need) -> dict[int, Proposal]:
    """Return, per vendor organisation, its invitation or proposal for the need (one query): the need's match
    cards show these vendors as invited (with the date) instead of offering to invite them again."""
    return {p.vendor_id: p for p in db.session.scalars(select(Proposal).where(Proposal.need_id == need.id))}


def invitable_kinds(need: Need, user: User) -> tuple[str, ...]:
    """Return the kinds of match cards that get an "invite to propose" button for this user on this need."""
    return INVITABLE_KINDS if can(user, "proposal.invite", need) and is_live(need) else ()


def change_proposal(proposal: Proposal, action: str, user: User) -> Proposal:
    """Fire one move of the proposal process (shortlist, accept, decline, withdraw, confirm, ...)."""
    from marketplace.proposals.process import FORM_ONLY, PROPOSAL
    from marketplace.states import IllegalTransition

    if action in FORM_ONLY:
        raise IllegalTransition(_("Unknown action."))
    return PROPOSAL.fire(proposal.id, action, user)


def confirm_contract(proposal: Proposal, user: User, when: datetime | None = None) -> Proposal:
    """Record one side's contract confirmation; when both confirmed, the proposal and the need are contracted."""
    from marketplace.proposals.process import PROPOSAL

    return PROPOSAL.fire(proposal.id, "confirm", user, when)


SME_TO_DECIDE = (ProposalState.SUBMITTED.value, ProposalState.SHORTLISTED.value)
"""Proposals whose next move is the SME's decision (shortlist, accept or decline)."""
RECEIVED = (ProposalState.SUBMITTED.value, ProposalState.SHORTLISTED.value, ProposalState.ACCEPTED.value,
            ProposalState.CONTRACTED.value, ProposalState.DECLINED.value)
"""Proposals a need has received (an invitation not yet answered, or a withdrawn proposal, is not one)."""


def proposal_counts(need_ids) -> dict[int, dict[str, int]]:
    """Return, per need, the proposals received, those waiting for the SME to decide, and the accepted ones
    waiting for the SME's contract confirmation — one grouped query for a page of needs."""

    counts: dict[int, dict[str, int]] = {}
    if not need_ids:
        return counts
    rows = db.session.execute(
        select(Proposal.need_id, Proposal.state, Proposal.sme_confirmed_at.is_(None), func.count())
        .where(Proposal.need_id.in_(list(need_ids)), Proposal.state.in_(RECEIVED))
        .group_by(Proposal.need_id, Proposal.state, Proposal.sme_confirmed_at.is_(None))).all()
    for need_id, state, unconfirmed, n in rows:
        entry = counts.setdefault(need_id, {"received": 0, "to_decide": 0, "to_confirm": 0})
        entry["received"] += n
        if state in SME_TO_DECIDE:
            entry["to_decide"] += n
        elif state == ProposalState.ACCEPTED.value and unconfirmed:
            entry["to_confirm"] += n
    return counts


def waiting_for_sme(organisation_id: int) -> dict[str, int]:
    """Return how many proposals to an SME's needs wait for its decision, and how many for its confirmation."""

    base = select(func.count()).select_from(Proposal).join(Need, Need.id == Proposal.need_id).where(
        Need.organisation_id == organisation_id)
    decide = db.session.scalar(base.where(Proposal.state.in_(SME_TO_DECIDE))) or 0
    confirm = db.session.scalar(base.where(Proposal.state == ProposalState.ACCEPTED.value,
                                           Proposal.sme_confirmed_at.is_(None))) or 0
    return {"to_decide": decide, "to_confirm": confirm}


def awaiting_other_side(proposal: Proposal, user: User) -> bool:
    """Tell whether the user's side confirmed the contract of an accepted proposal and waits for the other side."""
    from marketplace.proposals.process import confirmed_at_attr

    return (proposal.state == ProposalState.ACCEPTED.value and can(user, "proposal.confirm", proposal)
            and getattr(proposal, confirmed_at_attr(proposal, user)) is not None)


def need_block(need: Need, user: User) -> dict:
    """Return what a need page's proposals block shows: every proposal (to the SME), or the vendor's own and
    whether it may propose now."""
    if can(user, "proposal.list_for_need", need):
        return {"owner": True, "proposals": proposals_for_need(need), "mine": None, "invited": False,
                "invitation": None, "may_propose": False}
    mine = existing_proposal(need, user.organisation_id) if can(user, "proposal.send", need) else None
    invited = mine is not None and mine.state == ProposalState.INVITED.value
    may_propose = can(user, "proposal.send", need) and is_live(need) and (mine is None or invited)
    return {"owner": False, "proposals": [], "mine": None if invited else mine, "invited": invited,
            "invitation": mine if invited else None, "may_propose": may_propose}


def proposals_for_need(need: Need) -> list[Proposal]:
    """Return every proposal and invitation for a need, newest first."""
    return list(db.session.scalars(select(Proposal).where(Proposal.need_id == need.id)
                                   .order_by(Proposal.updated_at.desc(), Proposal.id.desc())))


def proposals_for(org: Organisation) -> list[Proposal]:
    """Return an organisation's proposals: received (SME) or sent and invited (vendor), newest first."""
    return list(db.session.scalars(own_proposals(org)))


def own_proposals(org: Organisation, state: str | None = None) -> Select:
    """Select an organisation's proposals (received as the SME, sent or invited as the vendor), newest first,
    in one state if given."""
    stmt = select(Proposal).join(Proposal.need).where(or_(Proposal.vendor_id == org.id, Need.organisation_id == org.id))
    if state is not None:
        stmt = stmt.where(Proposal.state == state)
    return stmt.order_by(Proposal.updated_at.desc(), Proposal.id.desc())


def accepted_need_ids(vendor_id: int, need_ids) -> set[int]:
    """Return which of the needs have a proposal of this vendor that the SME accepted (one query)."""
    need_ids = list(need_ids)
    if not need_ids:
        return set()
    return set(db.session.scalars(select(Proposal.need_id).where(
        Proposal.need_id.in_(need_ids), Proposal.vendor_id == vendor_id,
        Proposal.state.in_(SHARED_STATES))))


# ---- messages ------------------------------------------------------------------------------------


def post_message(proposal: Proposal, user: User, body: str) -> Message:
    """Add a plain-text message to a proposal's thread (the two sides only)."""
    require(user, "proposal.message", proposal)
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), "body")
    if len(body) > MAX_MESSAGE:
        raise DomainError(_("A message can be at most %(n)s characters.", n=MAX_MESSAGE), "body")
    message = Message(proposal=proposal, sender_org_id=user.organisation_id, sender_user_id=user.id, body=body,
                      recipient_org_id=proposal.other_side(user.organisation_id))
    db.session.add(message)
    from marketplace.moderation.services import screen_edit

    screen_edit(message)
    return message


def read_thread(proposal: Proposal, user: User) -> list[Message]:
    """Return a thread's messages and, for the two sides, mark those from the other side read."""
    messages = list(proposal.messages)
    if can(user, "proposal.message", proposal):
        for message in messages:
            if message.sender_org_id != user.organisation_id and message.read_at is None:
                message.read_at = now()
    return messages


def thread_lines(proposal: Proposal, messages, user: User, owner_visible: bool) -> list[dict]:
    """Return each message with who sent it, as the page names them, and whether it is the user's own side's; a
    message a moderator hid is left out, except for its sender and its moderators (who see it marked hidden)."""
    sme_name = proposal.need.organisation.name if owner_visible else _("The enterprise")
    return [{"message": m, "mine": m.sender_org_id == user.organisation_id, "hidden": not m.is_shown,
             "sender": proposal.vendor.name if m.sender_org_id == proposal.vendor_id else sme_name}
            for m in messages if m.is_shown or can(user, "moderation.see", m)]


def unread_messages(user: User, cap: int | None = None) -> int:
    """Count messages to the user's organisation that nobody there has read yet (at most `cap` + 1 when given).

    One index range (recipient, unread) of the message table answers it, so the navigation can ask on every page.
    """
    if not user.is_authenticated:
        return 0
    unread = select(Message.id).where(Message.recipient_org_id == user.organisation_id, Message.read_at.is_(None))
    if cap is not None:
        unread = unread.limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(unread.subquery())) or 0


# ---- stale needs --------------------------------------------------------------------------------


def is_stale(need: Need, today: date | None = None) -> bool:
    """Tell whether an open need's deadline passed without proposal activity since (see `needs.selectors`)."""
    from marketplace.needs.selectors import is_stale as stale

    return stale(need, today)


def hidden_stale_need_ids(today: date | None = None) -> set[int]:
    """Return ids of open needs stale for longer than the grace period, kept from vendors' leads (one query)."""
    today = today or date.today()
    grace = int(current_app.config["NEED_STALE_GRACE_DAYS"])
    return set(db.session.scalars(select(Need.id).where(stale_condition(today, grace))))
