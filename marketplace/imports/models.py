"""An import job: the uploaded file, its progress and its report (counts and the refused rows with their reasons)."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import Organisation, User, utcnow
from marketplace.extensions import Model


class ImportStatus(str, enum.Enum):
    """Where an import job is: queued → running → done (or failed, when the file could not be read at all)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATUS_LABELS = {ImportStatus.QUEUED.value: _l("Waiting to start"), ImportStatus.RUNNING.value: _l("Importing"),
                 ImportStatus.DONE.value: _l("Finished"), ImportStatus.FAILED.value: _l("Stopped")}


class ImportJob(Model):
    """One uploaded file of models or offerings and what importing it did, row by row.

    `problems` holds the refused rows as `{"row", "column", "reason"}` (row numbers as the spreadsheet shows them,
    the header being row 1); the reasons are written in the uploader's language. The file's bytes are kept until
    the job has run."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(12))
    filename: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default=ImportStatus.QUEUED.value)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    total_rows: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    problems: Mapped[list[dict]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_finished(self) -> bool:
        """Tell whether the job has stopped (done or failed): its report is final."""
        return self.status in (ImportStatus.DONE.value, ImportStatus.FAILED.value)

    @property
    def status_label(self) -> str:
        """The job's status in the current language."""
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def percent(self) -> int:
        """Rows done as a whole percentage of the rows in the file (100 once finished)."""
        if self.is_finished:
            return 100
        return (100 * self.rows_done // self.total_rows) if self.total_rows else 0
