"""What a vendor organisation has seen of its leads: one row per organisation and need, once marked seen."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model


class LeadSeen(Model):
    """A need a vendor organisation marked seen in its leads inbox (seen by the organisation, not one user)."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
