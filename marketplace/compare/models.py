"""The compare tray kept on the server: one row per model a visitor's tray holds.

A tray is named by a random key kept in the visitor's session (`tray.TRAY_KEY`), so the rows are the tray and
the session only points at them. Two quick adds then each write their own row instead of each writing back the
whole list they read, and neither overtakes the other (the session cookie used to hold the list itself)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model


class CompareTrayEntry(Model):
    """One model in one visitor's compare tray; a model is in a tray once."""

    __tablename__ = "compare_tray_entry"
    __table_args__ = (UniqueConstraint("tray_key", "model_id", name="uq_compare_tray_entry_tray_key_model_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tray_key: Mapped[str] = mapped_column(String(32), index=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("industrial_model.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
