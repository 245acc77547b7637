"""What the analytics keep beyond the marketplace's own records: how searches went.

Signed-in users' searches are logged one row each (`SearchLog`); visitors' searches are only counted, per
day and normalised query (`SearchStat`), so anonymous traffic cannot grow a table without bound.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.accounts.models import utcnow
from marketplace.extensions import Model


class SearchLog(Model):
    """One signed-in user's search from the search page: the words, the filters, results and the best relevance.

    `mark` names the row for the searcher's next, longer prefix of the same query (see `next_mark`).
    """

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(500))
    filters: Mapped[str] = mapped_column(String(1000), default="")
    result_count: Mapped[int]
    best_score: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    mark: Mapped[str | None] = mapped_column(String(32), index=True)


class SearchStat(Model):
    """Visitors' searches of one normalised query on one day: how often, the best similarity and most results.

    The query "" on a day counts the searches beyond that day's cap of distinct queries.
    """

    __tablename__ = "search_stat"
    __table_args__ = (UniqueConstraint("day", "query", name="uq_search_stat_day_query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    query: Mapped[str] = mapped_column(String(500))
    times: Mapped[int] = mapped_column(default=1)
    best_score: Mapped[float | None]
    max_results: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
