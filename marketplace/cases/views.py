"""Case views: the public case library, case pages and the yearly collection; centers curate their own cases."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from marketplace.cases import bp
from marketplace.cases.collection_pdf import cached_collection_pdf
from marketplace.cases.forms import CaseForm
from marketplace.cases.models import Case
from marketplace.cases.process import CASE
from marketplace.cases.selectors import is_featured
from marketplace.cases.services import (
    browse_cases,
    cases_of_center,
    collection_cases,
    collection_years,
    delivered_cases,
    link_choices,
    save_case,
)
from marketplace.catalog.selectors import is_public as listing_is_public
from marketplace.extensions import db, limiter
from marketplace.forms_common import VocabMixin, WholeNumberField, strip_filter
from marketplace.matching.browse import browse_page, sort_choices
from marketplace.permissions import can, permission_required, require
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, redirect_back, render_page, submit


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
    sort = SelectField(_l("Sort by"), validators=[Optional()], validate_choice=False)

    def filters(self) -> dict:
        """Return the valid filters as a dict."""
        return {n: getattr(self, n).data for n in ("q", "industry", "scenario", "city", "year")
                if getattr(self, n).data and not getattr(self, n).errors}


@bp.app_template_global()
def cases_delivered(vendor_id: int | None = None, offering_id: int | None = None) -> list[Case]:
    """Return the public cases a provider or an offering delivered (for the catalogue pages)."""
    return delivered_cases(vendor_id=vendor_id, offering_id=offering_id)


@bp.app_template_test("featured")
def featured_test(case: Case) -> bool:
    """Let templates badge a featured case: `{% if c is featured %}` (the rule is `cases.selectors.is_featured`)."""
    return is_featured(case)


@bp.route("/")
def index():
    """List published showcase cases."""
    form = CaseBrowseForm(request.args)
    form.fill_vocab()
    form.validate()
    from marketplace.resonance.demonstrations import demonstration_offering_ids, selections

    filters = form.filters()
    form.sort.choices = sort_choices("case", bool(filters.get("q")))
    page = browse_page("case", browse_cases(filters), filters, current_user, sort=form.sort.data)
    return render_page("cases/index.html", form=form, page=page,
                       years=collection_years(), demo_offerings=demonstration_offering_ids(),
                       demonstrations=selections())


@bp.route("/<int:case_id>")
def detail(case_id: int):
    """Show a case with its measured results (drafts only to the center that curates them)."""
    case = db.get_or_404(Case, case_id)
    if not can(current_user, "case.view", case):
        abort(404)
    offering = case.offering if case.offering is not None and listing_is_public(case.offering) else None
    return render_template("cases/detail.html", case=case, offering=offering,
                           owned=can(current_user, "case.curate", case),
                           moderating=can(current_user, "case.moderate", case),
                           moves=CASE.available(case, current_user))


@bp.route("/manage")
@permission_required("case.curate")
def manage():
    """List the cases the signed-in center curates, in every state, with their actions."""
    page = paginate(cases_of_center(current_user.organisation_id), LONG_PAGE_SIZE)
    return render_template("cases/manage.html", rows=[(c, CASE.available(c, current_user)) for c in page.items],
                           page=page, years=collection_years())


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
    fields = {k: getattr(form, k).data for k in ("title", "enterprise_name", "anonymous", "industry", "scenario",
                                                 "problem", "solution", "year")}
    fields["city"] = form.city.data or None
    fields["investment_fen"] = form.investment.fen
    fields.update(form.link_ids())
    return fields


def save_from_form(form: CaseForm, center, case: Case | None):
    """Save a validated form through the service; a link that does not fit becomes a field error."""
    return submit(form, lambda: save_case(center, case_fields(form), form.result_rows(), case=case))[1]


@bp.route("/new", methods=["GET", "POST"])
@permission_required("case.curate")
def new():
    """Create a case (saved as a draft)."""
    center = current_user.organisation
    form = case_form()
    if form.validate_on_submit():
        case = save_from_form(form, center, None)
        if case is not None:
            flash(_("Case saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=None), (422 if any(f.errors for f in form) else 200)


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int):
    """Edit a case the center curates."""
    case = db.get_or_404(Case, case_id)
    require(current_user, "case.curate", case)
    form = case_form(case)
    if form.validate_on_submit():
        if save_from_form(form, case.center, case) is not None:
            flash(_("Case saved."), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return render_template("cases/form.html", form=form, case=case), (422 if any(f.errors for f in form) else 200)


SUCCESS = {"publish": lambda: _("Published."), "feature": lambda: _("Featured."),
           "unfeature": lambda: _("No longer featured."),
           "unpublish": lambda: _("Unpublished: the case is a draft again."),
           "moderate": lambda: _("Taken down. The reason is kept in the audit log.")}


@bp.route("/<int:case_id>/<any(publish, feature, unfeature, unpublish, moderate):action>", methods=["POST"])
@login_required
def transition(case_id: int, action: str):
    """Fire one move of the case process: the curating center publishes or features, an admin takes it down."""
    db.get_or_404(Case, case_id)
    values = {a.name: request.form.get(a.name, "")[:2000] for a in CASE.transition(action).asks}
    perform(lambda: CASE.fire(case_id, action, current_user, when=None, **values), SUCCESS[action])
    return redirect_back(request.form.get("next") or request.referrer, url_for("cases.detail", case_id=case_id))


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
