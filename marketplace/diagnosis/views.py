"""Diagnosis views: the self-assessment and its report (HTML and PDF), an enterprise's own page, and the
enterprise files a promotion center keeps (list, one file, visits, follow-ups)."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from marketplace.accounts.models import Organisation
from marketplace.diagnosis import bp
from marketplace.diagnosis.forms import FilesFilterForm, FollowUpForm, VisitForm, answers_of, assessment_form
from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.level import effective_level, level_label
from marketplace.diagnosis.models import Assessment, DiagnosisVisit, FollowUp
from marketplace.diagnosis.pdf import render_report_pdf
from marketplace.diagnosis.process import FOLLOW_UP, VISIT
from marketplace.diagnosis.report import build_report
from marketplace.diagnosis.selectors import (
    assessments_of,
    enterprises_in,
    follow_ups_of,
    visits_of,
    without_diagnosis,
)
from marketplace.diagnosis.services import (
    add_follow_up,
    distributions,
    file_rows,
    latest_assessment,
    record_visit,
    take_assessment,
)
from marketplace.extensions import db
from marketplace.permissions import can, permission_required, permitted_or_404, require
from marketplace.web import LONG_PAGE_SIZE, paginate, perform, submit


def assessment_or_404(assessment_id: int) -> Assessment:
    """Return an assessment whose report the current user may read, else 404."""
    return permitted_or_404(Assessment, assessment_id, "diagnosis.view", of=lambda found: found.organisation)


def enterprise_or_403(org_id: int, permission: str = "diagnosis.record_visit") -> Organisation:
    """Return an enterprise whose file the current user keeps (404 unknown, 403 not theirs)."""
    org = db.get_or_404(Organisation, org_id)
    require(current_user, permission, org)
    return org


@bp.app_template_global("digital_level_of")
def digital_level_of(org: Organisation) -> str:
    """Say an organisation's level that counts and its basis, for any page (`diagnosis.level` decides)."""
    return effective_level(org).describe()


@bp.route("/")
@permission_required("diagnosis.assess")
def mine():
    """An enterprise's digital level: the level that counts, its self-assessments and diagnosis visits."""
    org = current_user.organisation
    return render_template("diagnosis/mine.html", org=org, standing=effective_level(org),
                           assessments=paginate(assessments_of(org.id), LONG_PAGE_SIZE),
                           visits=list(db.session.scalars(visits_of(org.id))), level_label=level_label)


@bp.route("/assessment", methods=["GET", "POST"])
@permission_required("diagnosis.assess")
def assessment():
    """The self-assessment form, grouped by the standard's dimensions; a new result on every submission."""
    last = latest_assessment(current_user.organisation_id)
    form = assessment_form(request.form if request.method == "POST" else None,
                           answers=last.answers if last is not None else None)
    if form.validate_on_submit():
        ok, made = submit(form, lambda: take_assessment(current_user, answers_of(form)))
        if ok and made is not None:
            flash(_("Assessment saved. Your level is %(level)s, self-assessed until a promotion center confirms it.",
                    level=level_label(made.level)), "success")
            return redirect(url_for("diagnosis.report", assessment_id=made.id))
    return render_template("diagnosis/assessment.html", form=form, system=indicator_system(),
                           last=last), (422 if form.errors else 200)


@bp.route("/<int:assessment_id>")
@login_required
def report(assessment_id: int):
    """The diagnosis report of an assessment: level, scores per dimension, typical scenarios, solutions."""
    found = assessment_or_404(assessment_id)
    return render_template("diagnosis/report.html", report=build_report(found, current_user),
                           system=indicator_system(), level_label=level_label,
                           keeps_file=can(current_user, "diagnosis.record_visit", found.organisation))


@bp.route("/<int:assessment_id>.pdf")
@login_required
def report_pdf(assessment_id: int):
    """The diagnosis report as a PDF."""
    found = assessment_or_404(assessment_id)
    pdf = render_report_pdf(build_report(found, current_user))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="diagnosis-{found.id}.pdf"'})


@bp.route("/files")
@permission_required("diagnosis.files")
def files():
    """The enterprise files of the center's city (every city for admins): levels, visits, follow-ups, spread."""
    form = FilesFilterForm(request.args)
    form.fill_vocab()
    form.validate()
    city = form.city.data or None if current_user.is_admin else current_user.organisation.city
    region = enterprises_in(city)
    by_industry, by_city = distributions(region)
    stmt = region
    if form.industry.data:
        stmt = stmt.where(Organisation.industry == form.industry.data)
    if form.undiagnosed.data:
        stmt = without_diagnosis(stmt)
    page = paginate(stmt, LONG_PAGE_SIZE)
    return render_template("diagnosis/files.html", form=form, page=page, rows=file_rows(list(page.items)),
                           by_industry=by_industry.table(), by_city=by_city.table(), city=city,
                           all_cities=current_user.is_admin, level_label=level_label)


def render_file(org: Organisation, visit_form: VisitForm | None = None, follow_form: FollowUpForm | None = None,
                status: int = 200):
    """Render one enterprise's file with the forms to record a visit and add a follow-up."""
    if visit_form is None:
        visit_form = VisitForm(formdata=None)
    visit_form.fill_vocab()
    visits = list(db.session.scalars(visits_of(org.id)))
    items = list(db.session.scalars(follow_ups_of(org.id)))
    return render_template("diagnosis/file.html", org=org, standing=effective_level(org),
                           assessments=list(db.session.scalars(assessments_of(org.id).limit(20))),
                           visits=[(v, VISIT.available(v, current_user)) for v in visits],
                           follow_ups=[(f, FOLLOW_UP.available(f, current_user)) for f in items],
                           visit_form=visit_form, follow_form=follow_form or FollowUpForm(formdata=None),
                           level_label=level_label), status


@bp.route("/files/<int:org_id>")
@login_required
def file(org_id: int):
    """One enterprise's file (建档立卡)."""
    return render_file(enterprise_or_403(org_id))


@bp.route("/files/<int:org_id>/visits", methods=["POST"])
@login_required
def new_visit(org_id: int):
    """A center records a diagnosis visit and the level it found (confirmed in a second step)."""
    org = enterprise_or_403(org_id)
    form = VisitForm()
    form.fill_vocab()
    if form.validate_on_submit():
        ok, _made = submit(form, lambda: record_visit(current_user, org, form.visited_on.data, form.findings.data,
                                                      int(form.level.data)))
        if ok:
            flash(_("Visit recorded. Confirm the level when you are sure of it."), "success")
            return redirect(url_for("diagnosis.file", org_id=org.id))
    return render_file(org, visit_form=form, status=422)


@bp.route("/files/<int:org_id>/follow-ups", methods=["POST"])
@login_required
def new_follow_up(org_id: int):
    """A center adds a follow-up item with a due date to an enterprise's file."""
    org = enterprise_or_403(org_id, "diagnosis.follow_up")
    form = FollowUpForm()
    if form.validate_on_submit():
        ok, _made = submit(form, lambda: add_follow_up(current_user, org, form.title.data, form.due_on.data))
        if ok:
            flash(_("Follow-up added."), "success")
            return redirect(url_for("diagnosis.file", org_id=org.id))
    return render_file(org, follow_form=form, status=422)


@bp.route("/visits/<int:visit_id>/<any(confirm_level):action>", methods=["POST"])
@login_required
def visit_move(visit_id: int, action: str):
    """Confirm the level a diagnosis visit found."""
    visit = db.get_or_404(DiagnosisVisit, visit_id)
    perform(lambda: VISIT.fire(visit_id, action, current_user),
            lambda: _("Level confirmed. The enterprise has been told."))
    return redirect(url_for("diagnosis.file", org_id=visit.organisation_id))


@bp.route("/follow-ups/<int:follow_up_id>/<any(mark_done):action>", methods=["POST"])
@login_required
def follow_up_move(follow_up_id: int, action: str):
    """Mark a follow-up item done."""
    item = db.get_or_404(FollowUp, follow_up_id)
    perform(lambda: FOLLOW_UP.fire(follow_up_id, action, current_user), lambda: _("Follow-up marked as done."))
    return redirect(url_for("diagnosis.file", org_id=item.organisation_id))
