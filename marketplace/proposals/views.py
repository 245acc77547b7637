"""Proposal views: send a proposal, invite a provider, the proposal page with its actions and message thread."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.money import fen_to_yuan_text
from marketplace.needs.models import Need
from marketplace.needs.permissions import owner_visible_ids
from marketplace.needs.services import can_view_need, shows_owner
from marketplace.permissions import can, permission_required, permitted_or_404, require
from marketplace.proposals import bp
from marketplace.proposals.forms import InviteForm, MessageForm, ProposalForm
from marketplace.proposals.models import Proposal, ProposalState
from marketplace.proposals.process import FORM_ONLY, PROPOSAL, page_moves
from marketplace.proposals.services import (
    AlreadyInvited,
    attachable_offerings,
    awaiting_other_side,
    change_proposal,
    existing_proposal,
    invite_vendor,
    need_block,
    post_message,
    proposals_for,
    read_thread,
    revise_proposal,
    send_proposal,
    thread_lines,
)
from marketplace.templating import local_date
from marketplace.web import perform, show_refusal

MOVE_MESSAGES = {
    "shortlist": lambda: _("Proposal shortlisted."),
    "accept": lambda: _("Proposal accepted. The need is now in talks."),
    "decline": lambda: _("Declined."),
    "decline_invitation": lambda: _("Declined."),
    "withdraw": lambda: _("Proposal withdrawn."),
}


def visible_need_or_404(need_id: int) -> Need:
    """Return a need the current user may read, or answer 404."""
    need = db.get_or_404(Need, need_id)
    if not can_view_need(need, current_user):
        abort(404)
    return need


def proposal_or_404(proposal_id: int) -> Proposal:
    """Return a proposal the current user may read, or answer 404."""
    return permitted_or_404(Proposal, proposal_id, "proposal.view")


@bp.route("/")
@permission_required("proposal.list")
def index():
    """List the organisation's proposals: received by an SME, sent or invited for a vendor."""
    proposals = proposals_for(current_user.organisation)
    shown = owner_visible_ids(current_user, {p.need for p in proposals})
    sends = can(current_user, "proposal.send")
    rows = [{"proposal": p, "counterpart": (p.need.organisation.name if p.need_id in shown else _("Name hidden"))
             if sends else p.vendor.name} for p in proposals]
    next_step = (url_for("leads.inbox"), _("Find needs that match your listings")) if sends \
        else (url_for("needs.new"), _("Post a need to receive proposals"))
    return render_template("proposals/index.html", rows=rows, next_step=next_step,
                           counterpart_label=_("Enterprise") if sends else _("Provider"))


@bp.route("/needs/<int:need_id>/new", methods=["GET", "POST"])
@permission_required("proposal.send")
def new(need_id: int):
    """Send a proposal for a need, answer an invitation, or revise the terms of the vendor's proposal."""
    need = visible_need_or_404(need_id)
    current = existing_proposal(need, current_user.organisation_id)
    revising = current is not None and may_revise(current)
    if current is not None and current.state != ProposalState.INVITED.value and not revising:
        return redirect(url_for("proposals.detail", proposal_id=current.id))
    form = ProposalForm(obj=current if revising and request.method == "GET" else None)
    form.offerings.choices = [(o.id, o.title) for o in attachable_offerings(current_user.organisation_id)]
    if revising and request.method == "GET" and current is not None:
        form.price.data = fen_to_yuan_text(current.price_fen)
        form.offerings.data = [o.id for o in current.offerings]
    elif request.method == "GET":  # from a lead: the matching listing's offerings come ticked
        offered = {value for value, _label in form.offerings.choices}
        form.offerings.data = [i for i in request.args.getlist("offering", type=int) if i in offered]
    if form.validate_on_submit():
        try:
            if revising and current is not None:
                proposal = revise_proposal(current, current_user, form.offerings.data, form.price.fen,
                                           form.plan.data, form.message.data)
            else:
                proposal = send_proposal(need, current_user, form.offerings.data, form.price.fen, form.plan.data,
                                         form.message.data)
        except DomainError as exc:
            db.session.rollback()
            show_refusal(form, exc)
            for message in form.form_errors:
                flash(message, "error")
        else:
            db.session.commit()
            flash(_("Your proposal was revised.") if revising else _("Your proposal was sent."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    status = 422 if request.method == "POST" else 200
    invitation = current if current is not None and current.state == ProposalState.INVITED.value else None
    return render_template("proposals/form.html", form=form, need=need, revising=revising, invitation=invitation,
                           owner_visible=shows_owner(need, current_user)), status


def may_revise(proposal: Proposal) -> bool:
    """Tell whether the current user may revise the proposal's terms now (the process's `revise` move)."""
    return any(t.name == "revise" for t in PROPOSAL.available(proposal, current_user))


@bp.route("/needs/<int:need_id>/invite", methods=["POST"])
@login_required
def invite(need_id: int):
    """Invite a provider to propose for one of the SME's needs, with an optional message.

    Inviting the same provider again changes nothing and says when the invitation went out (or that the
    provider has proposed already); it is never an error.
    """
    need = visible_need_or_404(need_id)
    form = InviteForm()
    if not form.validate_on_submit():
        if set(form.errors) != {"message"}:
            abort(400)
        for message in form.message.errors:
            flash(message, "error")
        return redirect(url_for("needs.detail", need_id=need.id))
    try:
        invite_vendor(need, form.vendor_id.data, current_user, form.message.data)
    except AlreadyInvited as exc:
        db.session.rollback()
        flash(already_invited_message(exc.proposal), "info")
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Invitation sent."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


def already_invited_message(proposal: Proposal) -> str:
    """Say that a provider was invited already (and when), or that it has proposed without an invitation."""
    if proposal.invited_at is not None:
        return _("You invited this provider on %(date)s; the invitation stands.", date=local_date(proposal.invited_at))
    return _("This provider has already sent a proposal for this need.")


@bp.route("/needs/<int:need_id>/list")
def for_need(need_id: int):
    """The proposals block of a need's page: all proposals for its owner, the own one for a vendor (fragment)."""
    need = visible_need_or_404(need_id)
    return render_template("proposals/_need_proposals.html", need=need, **need_block(need, current_user))


def page_context(proposal: Proposal, messages, form: MessageForm) -> dict:
    """Return what the proposal page and its thread fragments show the current user."""
    owner_visible = shows_owner(proposal.need, current_user)
    moves = page_moves(proposal, current_user)
    return dict(proposal=proposal, form=form, owner_visible=owner_visible, moves=moves,
                lines=thread_lines(proposal, messages, current_user, owner_visible),
                may_message=can(current_user, "proposal.message", proposal),
                may_answer=any(t.name == "submit" for t in PROPOSAL.available(proposal, current_user)),
                may_revise=may_revise(proposal),
                awaiting_other_side=awaiting_other_side(proposal, current_user),
                may_review=can(current_user, "proposal.review", proposal),
                **proposal_order_links(proposal))


def proposal_order_links(proposal: Proposal) -> dict:
    """Return the order a contracted proposal became, and whether the viewer may turn it into one now."""
    from marketplace.orders.services import proposal_order

    order = proposal_order(proposal.id)
    may_order = (order is None and proposal.state == ProposalState.CONTRACTED.value and bool(proposal.price_fen)
                 and can(current_user, "order.from_proposal", proposal))
    return {"proposal_order": order if order is not None and can(current_user, "order.view", order) else None,
            "may_order_proposal": may_order}


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    """Show a proposal with its state, the actions open to the viewer's side and the message thread."""
    proposal = proposal_or_404(proposal_id)
    messages = read_thread(proposal, current_user)
    db.session.commit()
    return render_template("proposals/detail.html", **page_context(proposal, messages, MessageForm()))


PAGE_ACTIONS = ", ".join(t.name for t in PROPOSAL.transitions if t.name not in FORM_ONLY)


@bp.route(f"/<int:proposal_id>/<any({PAGE_ACTIONS}):action>", methods=["POST"])
@login_required
def transition(proposal_id: int, action: str):
    """Shortlist, accept, decline, withdraw or confirm the contract of a proposal (the moves of its process)."""
    proposal = proposal_or_404(proposal_id)
    perform(lambda: change_proposal(proposal, action, current_user), lambda: moved_message(proposal, action))
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


def moved_message(proposal: Proposal, action: str) -> str:
    """Return the flash message after a move (a confirmation says whether the other side still has to confirm)."""
    if action == "confirm":
        return _("Contract confirmed.") if proposal.state == ProposalState.CONTRACTED.value \
            else _("Your confirmation is recorded; waiting for the other side.")
    return MOVE_MESSAGES[action]()


@bp.route("/<int:proposal_id>/accept/confirm")
@login_required
def confirm_accept(proposal_id: int):
    """Confirm accepting a proposal (the SME): the agreed price, the 模型券 part, what the SME pays and, where a
    模数共振 agreement covers the offering, each party's share; the page's button accepts."""
    from marketplace.orders.receipts import acceptance_figures

    proposal = proposal_or_404(proposal_id)
    require(current_user, "proposal.accept", proposal)
    if not any(t.name == "accept" for t in PROPOSAL.available(proposal, current_user)):
        done = PROPOSAL.done_message(proposal, "accept")
        if done:
            flash(done, "info")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    figures = acceptance_figures(proposal, current_user.organisation, date.today().year)
    return render_template("proposals/accept.html", proposal=proposal, figures=figures,
                           owner_visible=shows_owner(proposal.need, current_user))


@bp.route("/<int:proposal_id>/messages", methods=["GET", "POST"])
@login_required
def messages(proposal_id: int):
    """The message thread (polled by htmx); posting adds a message and answers with the updated thread.

    Only a POST (and the proposal page itself) marks the other side's messages read: the GET poll reads
    nothing into the database, so a prefetch or an open tab never marks messages read unseen.
    """
    proposal = proposal_or_404(proposal_id)
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                post_message(proposal, current_user, form.body.data)
            except DomainError as exc:
                db.session.rollback()
                show_refusal(form, exc)
                status = 422
            else:
                db.session.commit()
                if not request.headers.get("HX-Request"):
                    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
                form = MessageForm(formdata=None)
        else:
            status = 422
        thread = read_thread(proposal, current_user)
        db.session.commit()
    else:
        thread = list(proposal.messages)
    context = page_context(proposal, thread, form)
    if not request.headers.get("HX-Request"):
        return render_template("proposals/detail.html", **context), status
    if request.method == "GET":
        return render_template("proposals/_thread.html", **context)
    return render_template("proposals/_messages.html", **context), status
