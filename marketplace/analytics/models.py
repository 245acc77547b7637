"""What the analytics keep beyond the marketplace's own records: the log of searches and how well they went."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import db


class SearchLog(db.Model):
    """One search from the search page: the words, the filters, how many results and the best similarity."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(500))
    filters: Mapped[str] = mapped_column(String(1000), default="")
    result_count: Mapped[int]
    best_score: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
