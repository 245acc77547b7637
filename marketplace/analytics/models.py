"""What the analytics keep beyond the marketplace's own records: how searches went, and precomputed figures.

Signed-in users' searches are logged one row each (`SearchLog`); visitors' searches are only counted, per
day and normalised query (`SearchStat`), so anonymous traffic cannot grow a table without bound.
The pages read the figures of the transformation map and the funnel from snapshots (`AnalyticsSnapshot`)
and each live need's best solution from its match summary (`NeedMatchSummary`), both written by
`marketplace.analytics.aggregates`, never computed in a request.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
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


class AnalyticsSnapshot(Model):
    """One precomputed set of figures (the map's counts, the funnel), replaced whole at each refresh."""

    __tablename__ = "analytics_snapshot"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class NeedMatchSummary(Model):
    """How well the marketplace answers one need: the relevance of its best published offering or model.

    `best_relevance` is None when nothing clears the relevance floor; `computed_at` says when, so a refresh
    redoes the needs edited since and then the oldest summaries.
    """

    __tablename__ = "need_match_summary"

    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), primary_key=True)
    best_relevance: Mapped[float | None]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
