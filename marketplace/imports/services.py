"""Import jobs: accept a file (checked at once: type, size, header row, number of rows), run it row by row in the
background, and report what it did — created, updated, unchanged, refused with the cell and reason — on the page,
through the API and as CSV; the downloadable templates.

A job is started by an `import` outbox event written with it, so it runs only if the upload committed; the
dispatcher hands it to its own task (`marketplace.jobs`), so a long file never holds up indexing or mail. Each row
runs in its own savepoint: a row is saved whole or not at all; rows and their progress commit together in batches
(COMMIT_ROWS, or every COMMIT_SECONDS), so a worker that dies loses at most the rows of the open batch, whole.
Re-running a file is harmless: a row whose listing already holds its values is "unchanged" and touches nothing.
"""
from __future__ import annotations

import csv
import io
import logging
import time

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from marketplace.accounts.models import User
from marketplace.accounts.sessions import naive_utcnow
from marketplace.audit.services import record_audit
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.imports.models import ImportJob, ImportStatus
from marketplace.imports.reading import COLUMNS, Column, match_headers, read_rows
from marketplace.imports.rows import Batch, RowRefused, import_row
from marketplace.jobs.outbox import write_event
from marketplace.permissions import require

log = logging.getLogger("marketplace.imports")
COMMIT_ROWS = 50
COMMIT_SECONDS = 1.0
"""Rows are committed in batches (each row in its own savepoint), at least once a second so the progress moves."""
KINDS = tuple(COLUMNS)


def max_bytes() -> int:
    """The largest file accepted: the site's upload limit."""
    from marketplace.uploads.services import max_bytes as upload_max

    return upload_max()


def read_upload(upload: FileStorage | None) -> tuple[bytes, str]:
    """Return an uploaded file's bytes and name, or refuse a missing, empty or oversized file."""
    if upload is None or not upload.filename:
        raise DomainError(_("Choose a CSV or XLSX file to upload."), "file")
    data = upload.stream.read(max_bytes() + 1)
    if not data:
        raise DomainError(_("The file is empty."), "file")
    if len(data) > max_bytes():
        raise DomainError(_("The file is larger than %(mb)s MB.", mb=max_bytes() // (1024 * 1024)), "file")
    return data, (upload.filename or "upload")[-200:]


def start_import(user: User, kind: str, upload: FileStorage | None, locale: str) -> ImportJob:
    """Check an uploaded file and queue its import for the user's organisation; the caller commits.

    The file is read once here, so a wrong file (unreadable, no header, too many rows) is refused at once."""
    require(user, "import.start")
    if kind not in KINDS:
        raise DomainError(_("Choose whether the file holds models or offerings."), "kind")
    data, filename = read_upload(upload)
    rows = read_rows(data)
    match_headers(kind, rows[0])
    job = ImportJob(organisation_id=user.organisation_id, user_id=user.id, kind=kind, filename=filename,
                    locale=locale, status=ImportStatus.QUEUED.value, content=data,
                    total_rows=sum(1 for r in rows[1:] if any(r)), problems=[])
    db.session.add(job)
    db.session.flush()
    record_audit("import.started", user, job, {"kind": kind, "file": filename, "rows": job.total_rows})
    write_event(db.session, "import", {"job_id": job.id})
    return job


def org_jobs(org_id: int, limit: int = 10) -> list[ImportJob]:
    """Return an organisation's latest imports, newest first."""
    return list(db.session.scalars(select(ImportJob).where(ImportJob.organisation_id == org_id)
                                   .order_by(ImportJob.id.desc()).limit(limit)))


def cell_name(position: int, row_number: int) -> str:
    """Return a spreadsheet cell's name, e.g. (2, 7) → "C7"."""
    letters, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row_number}"


def run_import(job_id: int) -> None:
    """Task: import a queued job's rows in the uploader's language, one transaction per row, then finish it."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.QUEUED.value:
        return
    with current_app.test_request_context("/imports"), force_locale(job.locale):
        try:
            import_rows(job_id)
        except Exception as exc:
            db.session.rollback()
            log.exception("import %s failed", job_id)
            job = db.session.get(ImportJob, job_id)
            if job is not None:
                job.status, job.error = ImportStatus.FAILED.value, _("The import stopped: %(error)s",
                                                                     error=str(exc)[:300])
                job.finished_at, job.content = naive_utcnow(), None
                db.session.commit()


def load_job(job_id: int) -> ImportJob:
    """Return a job by id, fresh in the session (it exists: the caller read it before)."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise LookupError(f"import job {job_id} vanished")
    return job


def import_rows(job_id: int) -> None:
    """Import every row of a job, committing each row with the job's progress."""
    job = load_job(job_id)
    job.status, job.started_at = ImportStatus.RUNNING.value, naive_utcnow()
    kind, user_id, content = job.kind, job.user_id, job.content or b""
    db.session.commit()
    try:
        rows = read_rows(content)
        positions = match_headers(kind, rows[0])
    except DomainError as exc:
        job = load_job(job_id)
        job.status, job.error, job.finished_at = ImportStatus.FAILED.value, str(exc), naive_utcnow()
        db.session.commit()
        return
    header = rows[0]
    columns: dict[str, Column] = {c.field: c for c in positions.values()}
    where = {c.field: p for p, c in positions.items()}
    user = db.session.get(User, user_id)
    if user is None:
        raise LookupError(f"the uploader of import {job_id} vanished")
    batch = Batch.start(kind, user.organisation, user)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
    problems: list[dict] = []
    since_commit, last_commit = 0, time.monotonic()
    for index, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if since_commit == 0:
            open_transaction(job_id)
        cells = {c.field: (row[p] if p < len(row) else "") for p, c in positions.items()}
        refusal: list[tuple[str, str]] | None = None
        try:
            with db.session.begin_nested():  # the row's savepoint: it is saved whole or not at all
                outcome = import_row(cells, index, columns, batch)
        except RowRefused as exc:
            refusal = exc.reasons
        except DomainError as exc:
            refusal = [(field or "", str(reason)) for field, reason in exc.reasons] or [("", str(exc))]
        except Exception:  # noqa: BLE001 - one row's failure is reported; the row is rolled back whole
            log.exception("import %s row %s failed", job_id, index)
            refusal = [("", _("This row could not be saved because of an error on our side; nothing of it was "
                              "saved. Try the file again later."))]
        if refusal is not None:
            outcome = "refused"
            for field, reason in refusal:
                position = where.get(field)
                problems.append({"row": index, "column": header[position] if position is not None else "",
                                 "cell": cell_name(position, index) if position is not None else "",
                                 "reason": str(reason)})
        note_progress(job_id, counts, outcome, problems)
        since_commit += 1
        if since_commit >= COMMIT_ROWS or time.monotonic() - last_commit >= COMMIT_SECONDS:
            db.session.commit()
            since_commit, last_commit = 0, time.monotonic()
    job = load_job(job_id)
    job.status, job.finished_at, job.content = ImportStatus.DONE.value, naive_utcnow(), None
    job.total_rows = job.rows_done
    record_audit("import.finished", job.user, job, dict(counts))
    db.session.commit()


def open_transaction(job_id: int) -> None:
    """Begin a batch's transaction with a write (the job's heartbeat), so each row's savepoint nests inside it on
    every database (SQLite's driver begins a transaction only at a write)."""
    db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(status=ImportStatus.RUNNING.value))


def note_progress(job_id: int, counts: dict[str, int], outcome: str, problems: list[dict]) -> None:
    """Count a row's outcome on the job, in the row's own transaction."""
    counts[outcome] += 1
    job = load_job(job_id)
    job.rows_done = sum(counts.values())
    job.created, job.updated = counts["created"], counts["updated"]
    job.unchanged, job.refused = counts["unchanged"], counts["refused"]
    job.problems = list(problems)


def job_json(job: ImportJob) -> dict:
    """Serialise a job's status, progress, counts and refused rows."""
    return {"id": job.id, "kind": job.kind, "filename": job.filename, "status": job.status,
            "total_rows": job.total_rows, "rows_done": job.rows_done, "percent": job.percent,
            "created": job.created, "updated": job.updated, "unchanged": job.unchanged, "refused": job.refused,
            "refused_rows": [dict(p) for p in job.problems or []], "error": job.error,
            "created_at": job.created_at.isoformat(timespec="seconds"),
            "finished_at": job.finished_at.isoformat(timespec="seconds") if job.finished_at else None}


def report_csv(job: ImportJob) -> str:
    """Return a job's report as CSV text: the counts, then one line per refused cell (row, column, cell, reason)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("File"), job.filename])
    for label, value in ((_("Created"), job.created), (_("Updated"), job.updated),
                         (_("Unchanged"), job.unchanged), (_("Refused"), job.refused)):
        writer.writerow([label, value])
    writer.writerow([])
    writer.writerow([_("Row"), _("Column"), _("Cell"), _("Reason")])
    for problem in job.problems or []:
        writer.writerow([problem["row"], problem["column"], problem["cell"], problem["reason"]])
    return "\ufeff" + out.getvalue()


def template_rows(kind: str, locale: str = "zh_CN") -> list[list[str]]:
    """The template of a kind of import: the Chinese header row and one example row."""
    columns = [c for c in COLUMNS[kind] if c.in_template]
    return [[c.zh for c in columns], [c.example for c in columns]]


def template_csv(kind: str) -> bytes:
    """The template as CSV in UTF-8 with a BOM (so Excel opens the Chinese right)."""
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(kind))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """The template as an XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("offerings" if kind == "offering" else "models")
    for row in template_rows(kind):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
