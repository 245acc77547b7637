"""Proposal views: send a proposal, invite a provider, the proposal page with its actions and message thread."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.catalog.models import Offering
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.services import can_view_need, shows_owner
from marketplace.proposals import bp
from marketplace.proposals.forms import InviteForm, MessageForm, ProposalForm
from marketplace.proposals.models import Proposal
from marketplace.proposals.services import (
    can_view_proposal,
    change_proposal,
    confirm_contract,
    existing_proposal,
    invite_vendor,
    is_stale,
    post_message,
    proposals_for,
    proposals_for_need,
    read_thread,
    require_vendor,
    send_proposal,
)
from marketplace.states import IllegalTransition
from marketplace.web import role_required

ACTION_MESSAGES = {
    "shortlist": lambda: _("Proposal shortlisted."),
    "accept": lambda: _("Proposal accepted. The need is now in talks."),
    "decline": lambda: _("Declined."),
    "withdraw": lambda: _("Proposal withdrawn."),
}


@bp.app_template_global("need_is_stale")
def need_is_stale(need: Need) -> bool:
    """Tell templates whether a need's deadline passed without activity."""
    return is_stale(need)


@bp.app_template_global("shows_need_owner")
def shows_need_owner(need: Need) -> bool:
    """Tell templates whether the current user may see who posted a need (the privacy rule of `shows_owner`)."""
    return shows_owner(need, current_user)


def visible_need_or_404(need_id: int) -> Need:
    """Return a need the current user may read, or answer 404."""
    need = db.session.get(Need, need_id)
    if need is None or not can_view_need(need, current_user):
        abort(404)
    return need


def proposal_or_404(proposal_id: int) -> Proposal:
    """Return a proposal the current user may read, or answer 404."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_view_proposal(proposal, current_user):
        abort(404)
    return proposal


@bp.route("/")
@login_required
def index():
    """List the organisation's proposals: received by an SME, sent or invited for a vendor."""
    return render_template("proposals/index.html", proposals=proposals_for(current_user.organisation),
                           shows_owner=shows_owner)


@bp.route("/needs/<int:need_id>/new", methods=["GET", "POST"])
@role_required("vendor")
def new(need_id: int):
    """Send a proposal for a need (or answer an invitation)."""
    need = visible_need_or_404(need_id)
    vendor = require_vendor(current_user)
    current = existing_proposal(need, vendor.id)
    if current is not None and current.state != "invited":
        return redirect(url_for("proposals.detail", proposal_id=current.id))
    form = ProposalForm()
    form.offerings.choices = [(o.id, o.title) for o in db.session.scalars(
        select(Offering).where(Offering.organisation_id == vendor.id, Offering.state == "published")
        .order_by(Offering.id))]
    if form.validate_on_submit():
        try:
            proposal = send_proposal(need, current_user, form.offerings.data, form.price.fen, form.plan.data,
                                     form.message.data)
        except (DomainError, IllegalTransition) as exc:
            db.session.rollback()
            target = getattr(form, getattr(exc, "field", None) or "", None)
            (target.errors.append(str(exc)) if target is not None else flash(str(exc), "error"))
        else:
            db.session.commit()
            flash(_("Your proposal was sent."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    status = 422 if request.method == "POST" else 200
    return render_template("proposals/form.html", form=form, need=need, show_owner=shows_owner(need, current_user)), \
        status


@bp.route("/needs/<int:need_id>/invite", methods=["POST"])
@role_required("enterprise")
def invite(need_id: int):
    """Invite a provider to propose for one of the SME's needs."""
    need = visible_need_or_404(need_id)
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        invite_vendor(need, form.vendor_id.data, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Invitation sent."), "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.route("/needs/<int:need_id>/list")
def for_need(need_id: int):
    """The proposals block of a need's page: all proposals for its owner, the own one for a vendor (fragment)."""
    need = visible_need_or_404(need_id)
    owner = current_user.is_authenticated and current_user.organisation_id == need.organisation_id
    mine = None
    if current_user.is_authenticated and current_user.organisation.is_vendor:
        mine = existing_proposal(need, current_user.organisation_id)
    return render_template("proposals/_need_proposals.html", need=need, owner=owner, mine=mine,
                           proposals=proposals_for_need(need) if owner else [])


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id: int):
    """Show a proposal with its state, the actions open to the viewer's side and the message thread."""
    proposal = proposal_or_404(proposal_id)
    messages = read_thread(proposal, current_user)
    db.session.commit()
    return render_template("proposals/detail.html", proposal=proposal, messages=messages, form=MessageForm(),
                           side=proposal.side_of(current_user.organisation_id),
                           show_owner=shows_owner(proposal.need, current_user))


@bp.route("/<int:proposal_id>/<any(shortlist, accept, decline, withdraw, confirm):action>", methods=["POST"])
@login_required
def transition(proposal_id: int, action: str):
    """Shortlist, accept, decline, withdraw or confirm the contract of a proposal."""
    proposal = proposal_or_404(proposal_id)
    try:
        if action == "confirm":
            confirm_contract(proposal, current_user)
        else:
            change_proposal(proposal, action, current_user)
    except IllegalTransition as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if action == "confirm":
            flash(_("Contract confirmed.") if proposal.state == "contracted"
                  else _("Your confirmation is recorded; waiting for the other side."), "success")
        else:
            flash(ACTION_MESSAGES[action](), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


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
                form.body.errors.append(str(exc))
                status = 422
            else:
                db.session.commit()
                if not request.headers.get("HX-Request"):
                    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
                form = MessageForm(formdata=None)
        else:
            status = 422
    if request.method == "POST":
        thread = read_thread(proposal, current_user)
        db.session.commit()
    else:
        thread = list(proposal.messages)
    context = dict(proposal=proposal, messages=thread, form=form, side=proposal.side_of(current_user.organisation_id),
                   show_owner=shows_owner(proposal.need, current_user))
    if not request.headers.get("HX-Request"):
        return render_template("proposals/detail.html", **context), status
    if request.method == "GET":
        return render_template("proposals/_thread.html", **context)
    return render_template("proposals/_messages.html", **context), status
