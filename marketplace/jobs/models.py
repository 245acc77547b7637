"""The outbox a transaction writes its side effects into, and the claims that make scheduled work run once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model


class OutboxEvent(Model):
    """One side effect of a committed transaction (`index`: documents to re-index; `mail`: one e-mail;
    `webhook`: one attempt of a webhook delivery).

    Written in the transaction that caused it, so a rollback leaves none. A worker claims it by moving
    `available_at` past now (a lease) and counting the attempt, runs its handler, then sets `done_at`.
    A failure records `last_error` and makes it available again later; after JOBS_MAX_ATTEMPTS it waits
    for a person (`flask jobs retry`).
    """

    __table_args__ = (Index("ix_outbox_event_pending", "done_at", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]


class JobClaim(Model):
    """A unit of scheduled work done once, e.g. one recipient's digest for one day (`need_digest:12:2026-03-10`).

    Inserted in the same transaction as the work it stands for: a second worker cannot insert the same key,
    and a worker that dies before committing leaves no claim behind, so the work is done again later.
    """

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
