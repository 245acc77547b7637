"""Need views: browse and read needs; SMEs post, edit, close and reopen their own."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.extensions import db
from marketplace.needs import bp
from marketplace.needs.forms import NeedBrowseForm, NeedForm
from marketplace.needs.models import Need
from marketplace.needs.services import (browse_needs, can_view_need, change_need_status, ensure_need_owner,
                                        require_enterprise, save_need, shows_owner)
from marketplace.web import paginate, perform, render_page, role_required


@bp.route("/")
def index():
    """List open needs with filters."""
    form = NeedBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    page = paginate(browse_needs(form.filters(), current_user))
    return render_page("needs/index.html", form=form, page=page, shows_owner=shows_owner)


@bp.route("/<int:need_id>")
def detail(need_id: int):
    """Show one need."""
    need = db.session.get(Need, need_id)
    if need is None:
        abort(404)
    if not can_view_need(need, current_user):
        flash(_("This need is visible to registered users only. Please sign in."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    owner = current_user.is_authenticated and need.organisation_id == current_user.organisation_id
    return render_template("needs/detail.html", need=need, is_owner=owner,
                           show_owner=shows_owner(need, current_user))


def need_fields(form: NeedForm) -> dict:
    """Collect the need fields from a validated form."""
    fields = {k: getattr(form, k).data for k in ("title", "description", "industry", "scenario", "pain_points",
                                                 "data_available", "deadline", "deployment", "city",
                                                 "visibility")}
    fields["budget_min_fen"] = form.budget_min.fen
    fields["budget_max_fen"] = form.budget_max.fen
    return fields


@bp.route("/new", methods=["GET", "POST"])
@role_required("enterprise")
def new():
    """Post a scenario need."""
    org = require_enterprise(current_user)
    form = NeedForm(city=org.city, industry=org.industry)
    form.fill_vocab()
    if form.validate_on_submit():
        need = save_need(org, need_fields(form))
        db.session.commit()
        flash(_("Your need is posted."), "success")
        return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None), (422 if form.errors else 200)


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@role_required("enterprise")
def edit(need_id: int):
    """Edit one of the SME's needs."""
    need = db.session.get(Need, need_id) or abort(404)
    ensure_need_owner(need, current_user)
    form = NeedForm(obj=need, budget_min=need.budget_min_fen, budget_max=need.budget_max_fen)
    form.original_deadline = need.deadline
    form.fill_vocab()
    if form.validate_on_submit():
        save_need(need.organisation, need_fields(form), need=need)
        db.session.commit()
        flash(_("Need saved."), "success")
        return redirect(url_for("needs.detail", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need), (422 if form.errors else 200)


@bp.route("/<int:need_id>/<action>", methods=["POST"])
@role_required("enterprise")
def transition(need_id: int, action: str):
    """Close or reopen one of the SME's needs."""
    need = db.session.get(Need, need_id) or abort(404)
    if action not in ("close", "reopen"):
        abort(404)
    perform(lambda: change_need_status(need, action, current_user),
            _("Need closed.") if action == "close" else _("Need reopened."))
    return redirect(url_for("needs.detail", need_id=need.id))
