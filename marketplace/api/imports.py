"""Bulk import through the API: `POST /api/v1/imports` (a CSV or XLSX file of models or offerings) starts the same
background job as the import page, `GET /api/v1/imports/{id}` answers its progress and report, and
`GET /api/v1/imports/{id}/report.csv` the report as CSV. Re-sending a file is harmless (unchanged rows change
nothing), so the submit needs no Idempotency-Key."""
from __future__ import annotations

from typing import Literal

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field

from marketplace.api import bp
from marketplace.api.errors import ApiError
from marketplace.api.spec import Body, operation
from marketplace.extensions import db
from marketplace.imports.models import ImportJob
from marketplace.imports.reading import MAX_ROWS
from marketplace.imports.services import job_json, report_csv, start_import
from marketplace.permissions import can, require
from marketplace.templating import current_locale

UPLOAD_SCHEMA = {
    "type": "object", "required": ["file", "kind"],
    "properties": {
        "kind": {"type": "string", "enum": ["offering", "model"],
                 "description": "What the file holds: offerings or models (model cards)."},
        "file": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": f"A CSV (UTF-8, with or without BOM, or GBK) or XLSX file with a header row (Chinese "
                                f"or English column names, as in the page's template) and at most {MAX_ROWS} rows."},
    },
}

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded", "")
"""Bodies a submit is read from (only multipart can carry the file; the others answer which field is missing)."""


class RefusedCell(BaseModel):
    """Why one row was not imported: its row number (the header is row 1), the column and cell, and the reason."""

    row: int
    column: str = Field(description="The header of the column, as in the file; empty for the row as a whole.")
    cell: str = Field(description="The cell, e.g. F7; empty for the row as a whole.")
    reason: str = Field(description="Why, in the language of the call that started the import.")


class ImportAccepted(BaseModel):
    """An import accepted and queued."""

    id: int
    status: Literal["queued", "running", "done", "failed"]
    status_url: str
    report_url: str


class ImportStatus(BaseModel):
    """An import's progress and, once finished, its report."""

    id: int
    kind: Literal["offering", "model"]
    filename: str
    status: Literal["queued", "running", "done", "failed"]
    total_rows: int
    rows_done: int
    percent: int = Field(ge=0, le=100)
    created: int
    updated: int
    unchanged: int
    refused: int
    refused_rows: list[RefusedCell]
    error: str | None = Field(description="Why the whole import stopped, when it did.")
    created_at: str
    finished_at: str | None
    status_url: str
    report_url: str


def job_for_caller(job_id: int) -> ImportJob:
    """Return an import of the caller's organisation, or answer 404."""
    job = db.session.get(ImportJob, job_id)
    if job is None or not can(current_user, "import.view", job):
        raise ApiError(404, "not_found", _("We could not find that record."))
    return job


def links(job: ImportJob) -> dict:
    """The URLs of a job's status and report."""
    return {"status_url": url_for("api.import_status", job_id=job.id),
            "report_url": url_for("api.import_report", job_id=job.id)}


@bp.route("/imports", methods=["POST"])
@operation("Import models or offerings", scope="listings", tags=("Imports",),
           body=Body("multipart/form-data", UPLOAD_SCHEMA), responses={202: ImportAccepted}, errors=(413, 415),
           description="Upload a CSV or XLSX file; each row creates or updates one of your listings by your SKU "
                       "(new ones as drafts). The import runs in the background: poll the status URL.")
def import_submit():
    """Start an import of an uploaded file."""
    require(current_user, "import.start")
    if request.mimetype not in FORM_TYPES:
        raise ApiError(415, "unsupported_media_type",
                       _("Send the file as multipart/form-data with the fields file and kind."))
    job = start_import(current_user, request.form.get("kind", ""), request.files.get("file"), current_locale())
    db.session.commit()
    return jsonify({"id": job.id, "status": job.status, **links(job)}), 202


@bp.route("/imports/<int:job_id>")
@operation("Get an import's progress and report", scope="listings", tags=("Imports",),
           responses={200: ImportStatus}, errors=(404,))
def import_status(job_id: int):
    """Answer an import's status, progress, counts and refused rows."""
    job = job_for_caller(job_id)
    return jsonify({**job_json(job), **links(job)})


@bp.route("/imports/<int:job_id>/report.csv")
@operation("Download an import's report", scope="listings", tags=("Imports",),
           responses={200: Body("text/csv", {"type": "string"})}, errors=(404,))
def import_report(job_id: int):
    """Answer an import's report as CSV: the counts, then row, column, cell and reason of each refusal."""
    job = job_for_caller(job_id)
    return Response(report_csv(job), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=import-{job.id}-report.csv"})
