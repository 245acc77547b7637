"""Expert pool views: the public pool and an expert's page, a center keeping its experts, and requests."""
from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.experts import bp
from marketplace.experts.forms import (
    AVAILABILITY_LABELS,
    REQUEST_KIND_LABELS,
    ExpertBrowseForm,
    ExpertForm,
    RequestForm,
    ScheduleForm,
)
from marketplace.experts.models import Expert, ExpertRequest
from marketplace.experts.process import REQUEST
from marketplace.experts.selectors import experts_of_center, open_request, requests_of, requests_to_center
from marketplace.experts.services import EXPERT_FIELDS, browse_experts, request_counts, request_expert, save_expert
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.selectors import is_live
from marketplace.permissions import can, permission_required, permitted_or_404, require
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, render_page, submit

LABELS = {"availability": AVAILABILITY_LABELS, "request_kind": REQUEST_KIND_LABELS}


def expert_or_404(expert_id: int) -> Expert:
    """Return an expert the current user may see, else 404."""
    return permitted_or_404(Expert, expert_id, "expert.view")


def request_or_404(request_id: int) -> ExpertRequest:
    """Return a request the current user may read, else 404."""
    return permitted_or_404(ExpertRequest, request_id, "expert_request.view")


@bp.route("/")
def index():
    """The public expert pool, with filters."""
    form = ExpertBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    page = paginate(browse_experts(form.filters()))
    return render_page("experts/index.html", form=form, page=page, labels=LABELS,
                       may_keep=can(current_user, "expert.keep"))


def request_form() -> RequestForm:
    """Build the request form with the SME's live needs to refer to."""
    form = RequestForm()
    needs: list[Need] = []
    if current_user.is_authenticated:
        needs = list(db.session.scalars(select(Need).where(Need.organisation_id == current_user.organisation_id)
                                        .order_by(Need.created_at.desc()).limit(50)))
    form.need_id.choices = [("", "—")] + [(str(n.id), n.title) for n in needs if is_live(n)]
    return form


def render_detail(expert: Expert, form: RequestForm | None = None, status: int = 200):
    """Render an expert's page: the profile, the contact details when permitted, and the request form."""
    may_request = can(current_user, "expert.request", expert)
    pending = open_request(current_user.organisation_id, expert.id) if may_request else None
    if form is None and may_request and pending is None:
        form = request_form()
        if request.args.get("need", type=int):
            form.need_id.data = request.args.get("need", type=int)
    return render_template("experts/detail.html", expert=expert, labels=LABELS,
                           contact=can(current_user, "expert.contact", expert),
                           may_keep=can(current_user, "expert.keep", expert), pending=pending,
                           form=form if pending is None else None,
                           sign_in_to_request=not current_user.is_authenticated), status


@bp.route("/<int:expert_id>")
def detail(expert_id: int):
    """An expert's page."""
    return render_detail(expert_or_404(expert_id))


@bp.route("/<int:expert_id>/request", methods=["POST"])
@login_required
def request_help(expert_id: int):
    """An SME asks the expert for a diagnosis or a consultation."""
    expert = expert_or_404(expert_id)
    require(current_user, "expert.request", expert)
    form = request_form()
    if form.validate_on_submit():
        ok, made = submit(form, lambda: request_expert(expert, current_user, form.kind.data, form.topic.data,
                                                       form.details.data, form.need_id.data))
        if ok and made is not None:
            flash(_("Request sent. The promotion center will answer it; you will be notified."), "success")
            return redirect(url_for("experts.request_detail", request_id=made.id))
    return render_detail(expert, form, 422)


@bp.route("/manage")
@permission_required("expert.keep")
def manage():
    """The experts a promotion center keeps, with the requests waiting for its answer."""
    center_id = current_user.organisation_id
    return render_template("experts/manage.html", page=paginate(experts_of_center(center_id), LONG_PAGE_SIZE),
                           labels=LABELS, counts=request_counts(requests_to_center(center_id)))


def expert_form_page(expert: Expert | None):
    """Show and save the form that adds an expert or changes one."""
    form = ExpertForm(obj=expert)
    form.fill_vocab()
    if form.validate_on_submit():
        fields = {key: getattr(form, key).data for key in EXPERT_FIELDS}
        fields["phone"], fields["email"] = fields["phone"] or None, fields["email"] or None
        ok, saved = submit(form, lambda: save_expert(current_user.organisation, current_user, fields, expert))
        if ok and saved is not None:
            flash(_("Expert saved."), "success")
            return redirect(url_for("experts.detail", expert_id=saved.id))
    return render_template("experts/form.html", form=form, expert=expert), (422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("expert.keep")
def new():
    """A promotion center adds an expert to its pool."""
    return expert_form_page(None)


@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def edit(expert_id: int):
    """The keeping center changes an expert (or takes them out of the public pool)."""
    expert = db.get_or_404(Expert, expert_id)
    require(current_user, "expert.keep", expert)
    return expert_form_page(expert)


@bp.route("/requests")
@permission_required("expert_request.list")
def requests():
    """An SME's requests to experts; a center's requests to its experts; every request for admins."""
    if can(current_user, "expert.keep"):
        stmt = requests_to_center(current_user.organisation_id)
    elif current_user.is_admin:
        stmt = requests_to_center(None)
    else:
        stmt = requests_of(current_user.organisation_id)
    return render_template("experts/requests.html", page=paginate(stmt, LONG_PAGE_SIZE), labels=LABELS,
                           answering=can(current_user, "expert.keep"))


def render_request(found: ExpertRequest, schedule: ScheduleForm | None = None, status: int = 200):
    """Render a request with the moves the user may make; scheduling has its own form (a time and a place)."""
    moves = REQUEST.available(found, current_user)
    may_schedule = any(m.name == "schedule" for m in moves)
    if schedule is None and may_schedule:
        schedule = ScheduleForm()
    return render_template("experts/request.html", found=found, labels=LABELS,
                           moves=[m for m in moves if m.name != "schedule"],
                           schedule=schedule if may_schedule else None,
                           contact=can(current_user, "expert.contact", found.expert)), status


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    """A request: what was asked, the center's answer, the visit's time and place."""
    return render_request(request_or_404(request_id))


def local_to_utc(moment):
    """Read a time typed in the site's time zone as UTC."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")
    return moment.replace(tzinfo=zone).astimezone(UTC)


@bp.route("/requests/<int:request_id>/schedule", methods=["POST"])
@login_required
def schedule(request_id: int):
    """The keeping center accepts the request and sets the visit's time and place."""
    found = db.get_or_404(ExpertRequest, request_id)
    require(current_user, "expert_request.answer", found)
    form = ScheduleForm()
    if form.validate_on_submit():
        ok, _moved = submit(form, lambda: REQUEST.fire(
            request_id, "schedule", current_user, scheduled_for=local_to_utc(form.scheduled_for.data),
            place=form.place.data, answer=form.answer.data))
        if ok:
            flash(_("Accepted and scheduled. The enterprise now sees the expert's contact details."), "success")
            return redirect(url_for("experts.request_detail", request_id=request_id))
    return render_request(found, form, 422)


SUCCESS = {"decline": lambda: _("Declined. The enterprise reads your reason."),
           "complete": lambda: _("Recorded as held."),
           "withdraw": lambda: _("Request withdrawn.")}


@bp.route("/requests/<int:request_id>/<any(decline, complete, withdraw):action>", methods=["POST"])
@login_required
def request_move(request_id: int, action: str):
    """Fire one move of the request process (the center declines or records the visit; the SME withdraws)."""
    db.get_or_404(ExpertRequest, request_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in REQUEST.transition(action).asks}
    perform(lambda: REQUEST.fire(request_id, action, current_user, when=None, **values), SUCCESS[action])
    return redirect(url_for("experts.request_detail", request_id=request_id))
