"""Case views: the public case library, case pages and the yearly collection; centers curate their own cases."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.cases import bp
from marketplace.cases.collection_pdf import cached_collection_pdf
from marketplace.cases.forms import CaseForm
from marketplace.cases.models import Case
from marketplace.cases.services import (
    browse_cases,
    can_view_case,
    cases_of_center,
    collection_cases,
    collection_years,
    delivered_cases,
    ensure_curator,
    link_choices,
    require_center,
    save_case,
    transition_case,
)
from marketplace.errors import DomainError
from marketplace.extensions import db, limiter
from marketplace.forms_common import VocabMixin, WholeNumberField, strip_filter
from marketplace.web import paginate, perform, redirect_back, render_page, role_required


class CaseBrowseForm(VocabMixin, FlaskForm):
    """Filters for the case library, read from the query string."""

    class Meta:
        csrf = False

    vocab_fields = {"industry": "industry", "scenario": "scenario", "city": "city"}

    q = StringField(_l("Text"), filters=[strip_filter], validators=[Optional(), Length(max=200)])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    scenario = SelectField(_l("Scenario"), validators=[Optional()])
    city = SelectField(_l("City"), validators=[Optional()])
    year = WholeNumberField(_l("Year"), min=2000, max=2100, validators=[Optional()])

    def filters(self) -> dict:
        """Return the valid filters as a dict."""
        return {n: getattr(self, n).data for n in ("q", "industry", "scenario", "city", "year")
                if getattr(self, n).data and not getattr(self, n).errors}


@bp.app_template_global()
def cases_delivered(vendor_id: int | None = None, offering_id: int | None = None) -> list[Case]:
    """Return the public cases a provider or an offering delivered (for the catalogue pages)."""
    return delivered_cases(vendor_id=vendor_id, offering_id=offering_id)


@bp.route("/")
def index():
    """List published showcase cases."""
    form = CaseBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    from marketplace.resonance.demonstrations import demonstration_offering_ids, selections

    return render_page("cases/index.html", form=form, page=paginate(browse_cases(form.filters())),
                       years=collection_years(), demo_offerings=demonstration_offering_ids(),
                       demonstrations=selections())


@bp.route("/<int:case_id>")
def detail(case_id: int):
    """Show a case with its measured results (drafts only to the center that curates them)."""
    case = db.session.get(Case, case_id)
    if case is None or not can_view_case(case, current_user):
        abort(404)
    curator = current_user.is_authenticated and (current_user.is_admin
                                                 or case.center_id == current_user.organisation_id)
    return render_template("cases/detail.html", case=case, curator=curator)


@bp.route("/manage")
@role_required("center")
def manage():
    """List the cases the signed-in center curates, in every state, with their actions."""
    center = require_center(current_user)
    return render_template("cases/manage.html", cases=cases_of_center(center.id), years=collection_years())


def case_form(case: Case | None = None) -> CaseForm:
    """Build the case form with vocabularies and link choices (keeping a linked need that moved on)."""
    form = CaseForm(obj=case, investment=case.investment_fen if case else None,
                    vendor_id=str(case.vendor_id or "") if case else "",
                    offering_id=str(case.offering_id or "") if case else "",
                    need_id=str(case.need_id or "") if case else "")
    form.fill_vocab()
    choices = link_choices()
    if case is not None and case.need is not None and case.need not in choices["needs"]:
        choices["needs"].insert(0, case.need)
    form.fill_links(choices)
    if request.method == "GET" and case is not None:
        while len(form.results.entries) < len(case.results) + 2:
            form.results.append_entry()
    return form


def case_fields(form: CaseForm) -> dict:
    """Collect the case fields from a validated form."""
    fields = {k: getattr(form, k).data for k in ("title", "enterprise_name", "industry", "scenario", "problem",
                                                 "solution", "year")}
    fields["city"] = form.city.data or None
    fields["investment_fen"] = form.investment.fen
    fields.update(form.link_ids())
    return fields


def save_from_form(form: CaseForm, center, case: Case | None):
    """Save a validated form through the service; a link that does not fit becomes a field error."""
    try:
        saved = save_case(center, case_fields(form), form.result_rows(), case=case)
    except DomainError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors.append(str(exc))
        return None
    db.session.commit()
    return saved


@bp.route("/new", methods=["GET", "POST"])
@role_required("center")
def new():
    """Create a case (saved as a draft)."""
    center = require_center(current_user)
    form = case_form()
    if form.validate_on_submit():
        case = save_from_form(form, center, None)
        if case is not None:
            flash(_("Case saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=None), (422 if any(f.errors for f in form) else 200)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@role_required("center")
def edit(case_id: int):
    """Edit a case the center curates."""
    case = db.session.get(Case, case_id) or abort(404)
    ensure_curator(case, current_user)
    form = case_form(case)
    if form.validate_on_submit():
        if save_from_form(form, case.center, case) is not None:
            flash(_("Case saved."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=case), (422 if any(f.errors for f in form) else 200)


@bp.route("/<int:case_id>/<any(publish, feature, unfeature, unpublish):action>", methods=["POST"])
@role_required("center")
def transition(case_id: int, action: str):
    """Publish, feature, unfeature or unpublish a case the center curates."""
    case = db.session.get(Case, case_id) or abort(404)
    perform(lambda: transition_case(case, action, current_user),
            {"publish": _("Published."), "feature": _("Featured."), "unfeature": _("No longer featured."),
             "unpublish": _("Unpublished: the case is a draft again.")}[action])
    return redirect_back(request.form.get("next"), url_for("cases.detail", case_id=case.id))


@bp.route("/collection")
def collection_latest():
    """Send visitors to the newest yearly case collection."""
    years = collection_years()
    return redirect(url_for("cases.collection", year=years[0] if years else date.today().year))


@bp.route("/collection/<int:year>")
def collection(year: int):
    """Show the yearly case collection (典型案例集), laid out to print on A4."""
    return render_template("cases/collection.html", year=year, cases=collection_cases(year),
                           years=collection_years())


def pdf_rendered(response) -> bool:
    """Tell the rate limiter whether this response cost a PDF rendering (cached copies are free)."""
    return bool(g.get("pdf_rendered"))


@bp.route("/collection/<int:year>.pdf")
@limiter.limit(lambda: current_app.config["PDF_RATE_LIMIT"], deduct_when=pdf_rendered)
def collection_pdf(year: int):
    """Download the yearly case collection as a PDF, rendered once per change of the collection."""
    pdf, g.pdf_rendered = cached_collection_pdf(Path(current_app.instance_path) / "case-collection", year,
                                                collection_cases(year))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="case-collection-{year}.pdf"'})
