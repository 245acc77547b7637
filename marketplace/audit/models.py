"""The audit event: one append-only row per security- or money-relevant action."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model, db


class AuditEvent(Model):
    """Who (user and organisation) did what (an action code) to which record, from where and when.

    Rows are never changed or deleted: the ORM refuses it (`guard_append_only`) and so does the
    database (triggers installed by the migration)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    target_kind: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (db.Index("ix_audit_event_target", "target_kind", "target_id"),)


def install_guard() -> None:
    """Refuse updates and deletes of audit rows at flush time, once per process."""
    from marketplace.resonance.models import guard_append_only

    guard_append_only(AuditEvent)
