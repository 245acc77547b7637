"""The import page: upload a file of models or offerings, follow its progress (an htmx-polled fragment of the same
template; a refresh does the same without JavaScript), read and download its report, download the templates."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.imports import bp
from marketplace.imports.forms import ImportForm
from marketplace.imports.models import ImportJob
from marketplace.imports.reading import COLUMNS, KIND_LABELS
from marketplace.imports.services import (
    KINDS,
    org_jobs,
    report_csv,
    start_import,
    template_csv,
    template_xlsx,
)
from marketplace.permissions import permission_required, permitted_or_404
from marketplace.templating import current_locale
from marketplace.web import render_page, submit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def job_or_404(job_id: int) -> ImportJob:
    """Return an import of the current user's organisation, else 404."""
    return permitted_or_404(ImportJob, job_id, "import.view")


@bp.route("/imports", methods=["GET", "POST"])
@permission_required("import.start")
def index():
    """Show the upload form, the templates and the latest imports; start an import from an uploaded file."""
    form = ImportForm()
    if form.validate_on_submit():
        ok, job = submit(form, lambda: start_import(current_user, form.kind.data, request.files.get("file"),
                                                    current_locale()))
        if ok and job is not None:
            return redirect(url_for("imports.detail", job_id=job.id))
    return render_template("imports/index.html", form=form, jobs=org_jobs(current_user.organisation_id),
                           columns=COLUMNS, kinds=KIND_LABELS), (422 if form.errors else 200)


@bp.route("/imports/<int:job_id>")
@permission_required("import.start")
def detail(job_id: int):
    """Show an import's progress and, once finished, its report (the progress block alone for htmx polling)."""
    job = job_or_404(job_id)
    return render_page("imports/detail.html", block="progress", job=job)


@bp.route("/imports/<int:job_id>/report.csv")
@permission_required("import.start")
def report(job_id: int):
    """Download an import's report as CSV."""
    job = job_or_404(job_id)
    return Response(report_csv(job), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=import-{job.id}-report.csv"})


@bp.route("/imports/template/<kind>.<any(csv, xlsx):fmt>")
@permission_required("import.start")
def template(kind: str, fmt: str):
    """Download the template of a kind of import: the Chinese header row and one example row."""
    if kind not in KINDS:
        abort(404)
    name = f"{kind}s-template.{fmt}"
    if fmt == "csv":
        return Response(template_csv(kind), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename={name}"})
    return Response(template_xlsx(kind), mimetype=XLSX_TYPE,
                    headers={"Content-Disposition": f"attachment; filename={name}"})

