"""Dataset views: the public list and a dataset's card, the owner's datasets and form, access requests, and the
model ↔ data pairings (htmx fragments on a dataset's page and on a model card)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.catalog.models import IndustrialModel
from marketplace.datasets import bp
from marketplace.datasets.forms import AccessForm, DatasetBrowseForm, DatasetForm
from marketplace.datasets.models import AccessRequest, Dataset
from marketplace.datasets.process import ACCESS, DATASET, REFUSED, WITHDRAWN
from marketplace.datasets.selectors import (
    datasets_of,
    has_granted_access,
    is_public,
    latest_request,
    requests_by,
    requests_to_owner,
)
from marketplace.datasets.services import DATASET_FIELDS, browse_datasets, request_access, save_dataset
from marketplace.extensions import db
from marketplace.kinds import get_kind
from marketplace.permissions import can, permission_required, permitted_or_404, require
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, render_page, submit


def dataset_or_404(dataset_id: int) -> Dataset:
    """Return a dataset the current user may see, else 404."""
    return permitted_or_404(Dataset, dataset_id, "dataset.view")


def request_or_404(request_id: int) -> AccessRequest:
    """Return an access request the current user may read, else 404."""
    return permitted_or_404(AccessRequest, request_id, "access_request.view")


@bp.route("/")
def index():
    """The published datasets, with facet filters (modality, access mode, industry, scenario, sensitivity)."""
    form = DatasetBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    page = paginate(browse_datasets(form.filters()))
    return render_page("datasets/index.html", form=form, page=page, may_create=can(current_user, "dataset.create"))


def access_form() -> AccessForm:
    """Build the access form with the requester's own models to name."""
    form = AccessForm()
    models = db.session.scalars(select(IndustrialModel).where(
        IndustrialModel.organisation_id == current_user.organisation_id).order_by(IndustrialModel.name)).all()
    form.model_id.choices = [("", "—")] + [(str(m.id), m.name) for m in models]
    return form


ASK_AGAIN = frozenset({REFUSED, WITHDRAWN})
"""After these answers an organisation may ask the owner again."""


def render_detail(dataset: Dataset, form: AccessForm | None = None, status: int = 200):
    """Render a dataset's card with the owner's or moderator's tools and the access request (form or status)."""
    may_request = can(current_user, "dataset.request_access", dataset)
    latest = latest_request(current_user.organisation_id, dataset.id) if current_user.is_authenticated else None
    may_ask_again = latest is None or latest.state in ASK_AGAIN
    if form is None and may_request and may_ask_again:
        form = access_form()
    return render_template(
        "datasets/detail.html", dataset=dataset, form=form if may_request and may_ask_again else None,
        latest=latest,
        moves=DATASET.available(dataset, current_user), owned=can(current_user, "dataset.edit", dataset),
        moderating=can(current_user, "dataset.moderate", dataset), public=is_public(dataset),
        granted=has_granted_access(getattr(current_user, "organisation_id", None), dataset.id),
        sign_in_to_request=not current_user.is_authenticated), status


@bp.route("/<int:dataset_id>")
def detail(dataset_id: int):
    """A dataset's page: its data card and how to ask for access."""
    return render_detail(dataset_or_404(dataset_id))


@bp.route("/<int:dataset_id>/models")
def models_fragment(dataset_id: int):
    """Models that could be trained or tuned on this dataset (htmx fragment)."""
    from marketplace.datasets.pairing import models_for_dataset  # the search engine, loaded with the first pairing

    dataset = dataset_or_404(dataset_id)
    return render_template("datasets/_pairs.html", matches=models_for_dataset(dataset, current_user),
                           heading=_("Models that could be trained or tuned on this data"),
                           empty=_("No published model shares this dataset's scenarios or industries yet."))


@bp.route("/for-model/<int:model_id>")
def for_model_fragment(model_id: int):
    """Datasets that would let a model serve their scenarios (htmx fragment on a model card)."""
    from marketplace.datasets.pairing import datasets_for_model  # the search engine, loaded with the first pairing

    model = db.get_or_404(IndustrialModel, model_id)
    if not get_kind("model").is_visible_to(model, current_user):
        abort(404)
    return render_template("datasets/_pairs.html", matches=datasets_for_model(model, current_user),
                           heading=_("Data that would let this model serve my scenario"),
                           empty=_("No published dataset shares this model's scenarios or industries yet."))


@bp.route("/<int:dataset_id>/access", methods=["POST"])
@login_required
def ask_access(dataset_id: int):
    """An organisation asks the owner to use the dataset, with a purpose."""
    dataset = dataset_or_404(dataset_id)
    require(current_user, "dataset.request_access", dataset)
    form = access_form()
    if form.validate_on_submit():
        ok, made = submit(form, lambda: request_access(dataset, current_user, form.purpose.data,
                                                       form.intended_use.data, form.model_id.data))
        if ok and made is not None:
            flash(_("Request sent. The owner answers it; you will be notified."), "success")
            return redirect(url_for("datasets.request_detail", request_id=made.id))
    return render_detail(dataset, form, 422)


@bp.route("/mine")
@permission_required("dataset.create")
def mine():
    """The datasets the organisation owns, in every state."""
    return render_template("datasets/mine.html", page=paginate(datasets_of(current_user.organisation_id),
                                                                LONG_PAGE_SIZE))


def form_page(dataset: Dataset | None):
    """Show and save the form that lists a dataset or changes one."""
    form = DatasetForm(obj=dataset)
    form.fill_vocab()
    if form.validate_on_submit():
        fields = {key: getattr(form, key).data for key in DATASET_FIELDS}
        ok, saved = submit(form, lambda: save_dataset(current_user.organisation, current_user, fields, dataset))
        if ok and saved is not None:
            flash(_("Dataset saved.") if dataset else _("Dataset saved as a draft. Publish it when the card is "
                                                          "complete."), "success")
            return redirect(url_for("datasets.detail", dataset_id=saved.id))
    return render_template("datasets/form.html", form=form, dataset=dataset), (422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@permission_required("dataset.create")
def new():
    """An enterprise or vendor lists a dataset (as a draft)."""
    return form_page(None)


@bp.route("/<int:dataset_id>/edit", methods=["GET", "POST"])
@login_required
def edit(dataset_id: int):
    """The owner changes its dataset and its data card."""
    dataset = db.get_or_404(Dataset, dataset_id)
    require(current_user, "dataset.edit", dataset)
    return form_page(dataset)


DATASET_DONE = {"publish": lambda: _("Published."), "delist": lambda: _("Delisted."),
                "moderate": lambda: _("Taken down. The owner is told why.")}


@bp.route("/<int:dataset_id>/<any(publish, delist, moderate):action>", methods=["POST"])
@login_required
def transition(dataset_id: int, action: str):
    """Fire one move of the dataset's publication (the owner publishes or delists; a moderator takes it down)."""
    db.get_or_404(Dataset, dataset_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in DATASET.transition(action).asks}
    perform(lambda: DATASET.fire(dataset_id, action, current_user, None, **values), DATASET_DONE[action])
    return redirect(url_for("datasets.detail", dataset_id=dataset_id))


@bp.route("/requests")
@permission_required("dataset.list_requests")
def requests():
    """Access requests: those to the organisation's datasets (its inbox) and those it made; admins read all."""
    if current_user.is_admin:
        return render_template("datasets/requests.html", incoming=paginate(requests_to_owner(None), LONG_PAGE_SIZE),
                               outgoing=None, name_owners=True)
    org_id = current_user.organisation_id
    return render_template("datasets/requests.html", incoming=paginate(requests_to_owner(org_id), LONG_PAGE_SIZE),
                           outgoing=paginate(requests_by(org_id), LONG_PAGE_SIZE, arg="made"), name_owners=False)


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    """An access request: who asks, why, and the owner's answer (conditions or reason)."""
    found = request_or_404(request_id)
    return render_template("datasets/request.html", found=found, moves=ACCESS.available(found, current_user),
                           answering=can(current_user, "access_request.answer", found))


ACCESS_DONE = {"grant": lambda: _("Access granted. The requester reads your conditions."),
               "refuse": lambda: _("Refused. The requester reads your reason."),
               "withdraw": lambda: _("Request withdrawn.")}


@bp.route("/requests/<int:request_id>/<any(grant, refuse, withdraw):action>", methods=["POST"])
@login_required
def request_move(request_id: int, action: str):
    """Fire one move of an access request (the owner grants or refuses; the requester withdraws)."""
    db.get_or_404(AccessRequest, request_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in ACCESS.transition(action).asks}
    perform(lambda: ACCESS.fire(request_id, action, current_user, None, **values), ACCESS_DONE[action])
    return redirect(url_for("datasets.request_detail", request_id=request_id))
