"""Need views: browse and read needs; SMEs post, edit, close and reopen their own; admins close any as moderation."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.extensions import db
from marketplace.matching.browse import browse_page, sort_choices
from marketplace.matching.engine import IndexNotReady
from marketplace.matching.services import predict_scenarios
from marketplace.needs import bp
from marketplace.needs.forms import NeedBrowseForm, NeedForm
from marketplace.needs.models import Need
from marketplace.needs.permissions import owner_visible_ids
from marketplace.needs.process import FIRED_BY_PROPOSALS, NEED
from marketplace.needs.services import browse_needs, can_view_need, change_need_status, edit_need, need_page, post_need
from marketplace.permissions import can, permission_required, require
from marketplace.web import perform, render_page, submit

SUGGEST_FROM = ("title", "description", "pain_points", "problem", "solution")
"""The form fields whose text the scenario suggestion reads (a need's, or a showcase case's)."""
SUGGEST_MIN_CHARS = 4
"""Below this many characters of text there is nothing to suggest from."""

MOVE_MESSAGES = {
    "close": lambda: _("Need closed."),
    "moderate": lambda: _("Need closed."),
    "reopen": lambda: _("Need reopened."),
}


@bp.route("/")
def index():
    """List the live needs the visitor may read, with filters."""
    form = NeedBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    filters = form.filters()
    form.sort.choices = sort_choices("need", bool(filters.get("q")))
    page = browse_page("need", browse_needs(filters, current_user), filters, current_user, sort=form.sort.data)
    return render_page("needs/index.html", form=form, page=page, may_post=can(current_user, "need.post"),
                       owner_visible=owner_visible_ids(current_user, page.items))


@bp.route("/<int:need_id>")
def detail(need_id: int):
    """Show one need, with the moves its viewer may make."""
    need = db.get_or_404(Need, need_id)
    if not can_view_need(need, current_user):
        if current_user.is_authenticated or not need.is_shown:
            abort(404)  # held or hidden by moderation: as if it did not exist
        flash(_("This need is visible to registered users only. Please sign in."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    return render_template("needs/detail.html", need=need, **need_page(need, current_user))


def need_fields(form: NeedForm) -> dict:
    """Collect the need fields from a validated form."""
    fields = {k: getattr(form, k).data for k in ("title", "description", "industry", "scenario", "pain_points",
                                                 "data_available", "deadline", "deployment", "city",
                                                 "visibility")}
    fields["budget_min_fen"] = form.budget_min.fen
    fields["budget_max_fen"] = form.budget_max.fen
    return fields


@bp.route("/new", methods=["GET", "POST"])
@permission_required("need.post")
def new():
    """Post a scenario need."""
    form = NeedForm()
    form.fill_vocab()
    if form.validate_on_submit():
        posted, need = submit(form, lambda: post_need(current_user, need_fields(form)))
        if posted and need is not None:
            flash(_("Your need is posted."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None), (422 if form.errors or form.form_errors else 200)


@bp.route("/scenario-suggestions", methods=["POST"])
@permission_required("scenario.suggest")
def suggest_scenarios():
    """Suggest the scenarios the text typed so far most likely belongs to, as buttons (htmx fragment of the need
    and case forms); nothing when the text is too short, the model is unsure or the search index is not ready."""
    text = "\n".join(part for part in (request.form.get(name, "").strip() for name in SUGGEST_FROM) if part)
    suggestions = []
    if len(text) >= SUGGEST_MIN_CHARS:
        try:
            suggestions = predict_scenarios(text, n=3)
        except IndexNotReady:
            pass  # the index is being built: no suggestions until it is ready
    return render_template("needs/_scenario_suggestions.html", suggestions=suggestions,
                           chosen=request.form.get("scenario"))


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    """Edit one of the SME's needs."""
    need = db.get_or_404(Need, need_id)
    require(current_user, "need.edit", need)
    form = NeedForm(obj=need, budget_min=need.budget_min_fen, budget_max=need.budget_max_fen)
    form.original_deadline = need.deadline
    form.fill_vocab()
    if form.validate_on_submit():
        saved, _edited = submit(form, lambda: edit_need(need, current_user, need_fields(form)))
        if saved:
            flash(_("Need saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need), (422 if form.errors or form.form_errors else 200)


PAGE_ACTIONS = ", ".join(t.name for t in NEED.transitions if t.name not in FIRED_BY_PROPOSALS)


@bp.route(f"/<int:need_id>/<any({PAGE_ACTIONS}):action>", methods=["POST"])
@login_required
def transition(need_id: int, action: str):
    """Close or reopen one of the SME's needs, or close any need as an admin (with a reason)."""
    need = db.get_or_404(Need, need_id)
    values = {ask.name: request.form.get(ask.name, "") for ask in NEED.transition(action).asks}
    perform(lambda: change_need_status(need, action, current_user, **values), MOVE_MESSAGES[action])
    return redirect(url_for("needs.detail", need_id=need.id))
