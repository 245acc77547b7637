"""Analytics services: supply against demand by industry × stage or scenario, the need funnel, weak searches,
vouchers.

The map and the funnel are read from the snapshots `marketplace.analytics.aggregates` computes outside
requests (each says when); searches and vouchers are counted when asked, with GROUP BY.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypeGuard, cast
from uuid import uuid4

from flask import current_app
from sqlalchemy import Table, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from marketplace import vocab
from marketplace.analytics.aggregates import FUNNEL, MAP, read_snapshot
from marketplace.analytics.models import SearchLog, SearchStat
from marketplace.csv_export import csv_text
from marketplace.extensions import db

PREFIX_WINDOW = timedelta(seconds=30)


@dataclass
class Cell:
    """One cell of the map: an industry × a stage or scenario (`column`); open needs against supply and cases."""

    industry: str
    column: str
    needs: int = 0
    offerings: int = 0
    models: int = 0
    cases: int = 0

    @property
    def supply(self) -> int:
        """Published listings that could answer the cell's needs: offerings plus models."""
        return self.offerings + self.models

    @property
    def gap(self) -> bool:
        """Demand with little supply: open needs and fewer published listings than open needs."""
        return self.needs > 0 and self.supply < self.needs

    @property
    def shortfall(self) -> int:
        """How many more open needs than listings the cell has (0 when supply keeps up)."""
        return max(0, self.needs - self.supply)


@dataclass
class Heatmap:
    """The map: the industries, the columns in taxonomy order (stages, or scenarios) and a cell for every pair.

    `level` says what the columns are: "stage" (MIIT's 8 stages) or "scenario" (all 40, or one stage's);
    `computed_at` when the figures were counted.
    """

    industries: list[str]
    columns: list[str]
    level: str = "scenario"
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    computed_at: datetime | None = None

    def cell(self, industry: str, column: str) -> Cell:
        """Return one cell (empty cells exist too)."""
        return self.cells[(industry, column)]

    @property
    def max_needs(self) -> int:
        """The most open needs in any cell (for the colour scale)."""
        return max((c.needs for c in self.cells.values()), default=0)

    def totals(self) -> dict[str, int]:
        """Sum the cells: needs, offerings, models, cases (a listing counts once per pair it covers)."""
        return {k: sum(getattr(c, k) for c in self.cells.values()) for k in ("needs", "offerings", "models", "cases")}

    def gaps(self, limit: int = 10) -> list[Cell]:
        """Return the cells where demand most outruns supply, largest shortfall first."""
        cells = [c for c in self.cells.values() if c.gap]
        return sorted(cells, key=lambda c: (-c.shortfall, -c.needs, c.industry, c.column))[:limit]


FIGURES = ("needs", "offerings", "models", "cases")
"""What the map counts in each cell: live needs, published offerings and models, public cases."""


def heatmap(level: str = "scenario", stage: str | None = None) -> Heatmap | None:
    """Return the map of live needs, published offerings and models, and public cases for every industry × column,
    from the last snapshot (None while none has been computed; see `marketplace.analytics.aggregates`).

    level="stage": the columns are MIIT's 8 stages, and a record counts once in each stage its scenarios fall
    in. level="scenario": the columns are the 40 scenarios, or only the scenarios of `stage` when given.
    """
    snapshot = read_snapshot(MAP)
    if snapshot is None:
        return None
    industries = list(vocab.codes(vocab.INDUSTRIES))
    if level == "stage":
        columns = list(vocab.codes(vocab.STAGES))
    else:
        columns = list(vocab.codes(vocab.scenarios_in(stage) if stage else vocab.SCENARIOS))
    result = Heatmap(industries, columns, level, {(i, c): Cell(i, c) for i in industries for c in columns},
                     snapshot.computed_at)
    for figure, rows in snapshot.data.get(level, {}).items():
        for industry, column, n in rows:
            if (industry, column) in result.cells and figure in FIGURES:
                setattr(result.cells[(industry, column)], figure, int(n))
    return result


@dataclass
class StageTotal:
    """One stage's totals over all industries: each record counted once however many of its scenarios fall in it."""

    stage: str
    needs: int = 0
    offerings: int = 0
    models: int = 0
    cases: int = 0

    @property
    def supply(self) -> int:
        """Published offerings plus models in the stage."""
        return self.offerings + self.models


def stage_totals() -> list[StageTotal] | None:
    """Return open needs, published offerings and models, and public cases per stage, in the guide's order, from
    the last snapshot (None while none has been computed)."""
    snapshot = read_snapshot(MAP)
    if snapshot is None:
        return None
    totals = {code: StageTotal(code) for code in vocab.codes(vocab.STAGES)}
    for figure, by_stage in snapshot.data.get("stage_totals", {}).items():
        for code, n in by_stage.items():
            if code in totals and figure in FIGURES:
                setattr(totals[code], figure, int(n))
    return list(totals.values())


def matched_threshold() -> float:
    """The relevance at or above which a recommendation counts as a match: the floor every match list uses."""
    from marketplace.matching.relevance import floor

    return floor()


def good_search_threshold() -> float:
    """The relevance below which a search's best result counts as nothing good: the same floor."""
    from marketplace.matching.relevance import floor

    return floor()


@dataclass
class Funnel:
    """The need funnel: how many needs reached each stage; `recommendations_known` says if matching was used."""

    stages: list[tuple[str, int]]
    recommendations_known: bool
    threshold: float
    computed_at: datetime | None = None


def funnel() -> Funnel | None:
    """Return the need funnel from the last snapshot (None while none has been computed).

    posted → matched → in talks → contracted → case, each stage including the later ones; what counts at each
    stage is `marketplace.analytics.aggregates.count_funnel`.
    """
    snapshot = read_snapshot(FUNNEL)
    if snapshot is None:
        return None
    data = snapshot.data
    return Funnel(stages=[(code, int(n)) for code, n in data["stages"]],
                  recommendations_known=bool(data["recommendations_known"]), threshold=float(data["threshold"]),
                  computed_at=snapshot.computed_at)


def normalise_query(query: str | None) -> str:
    """Return a query as it is logged and counted: whitespace collapsed, at most 500 characters."""
    return " ".join((query or "").split())[:500]


def next_mark(query: str, signed_in: bool, previous: dict | None, moment: datetime) -> dict | None:
    """What a searcher keeps for their next search (in their session), known before anything is written.

    A signed-in searcher's mark names the log row of this search: the previous one's when this query extends
    it (as-you-type prefixes), else a new key. Nothing is read or written here, so the page can answer first
    and the search be recorded after the response (`record_search`).
    """
    query = normalise_query(query)
    if not query:
        return previous
    if not signed_in:
        return mark(query, moment)
    key = str(previous["row"]) if extends(previous, query, moment, logged=True) else uuid4().hex
    return mark(query, moment, key)


def record_search(query: str, filters: dict, result_count: int, best_score: float | None,
                  signed_in: bool = True, previous: dict | None = None,
                  moment: datetime | None = None, key: str | None = None) -> dict | None:
    """Record a search from the search page, in its own short transaction (never the request's).

    A signed-in user's search is logged as a row (`log_search`); a visitor's search only adds to the day's
    counter for its query (`count_search`), so anonymous traffic cannot grow the tables without bound.
    `previous` is what this searcher's last recorded search left in their session: only a query that
    extends *their own* previous one is folded into it, so two people typing at the same time never
    overwrite each other's searches. The search page calls this after its response has been sent; recording
    never fails a search: a database error here is logged and dropped. `key` is the row key of the mark the
    searcher was given (`next_mark`); returns the searcher's mark.
    """
    query = normalise_query(query)
    if not query:
        return previous
    moment = moment or datetime.now(UTC)
    try:
        if signed_in:
            if key is None:
                given = next_mark(query, True, previous, moment)
                key = str(given["row"]) if given else None
            return log_search(query, filters, result_count, best_score, previous=previous, moment=moment, key=key)
        return count_search(query, result_count, best_score, moment=moment, previous=previous)
    except SQLAlchemyError:
        current_app.logger.warning("search not recorded", exc_info=True)
        return previous


def mark(query: str, moment: datetime, row: str | None = None) -> dict:
    """Return what a searcher keeps of the search just recorded: the query, when, and its log row (if any)."""
    return {"query": query, "at": moment.isoformat(), "row": row}


def extends(previous: dict | None, query: str, moment: datetime, logged: bool) -> TypeGuard[dict]:
    """Tell whether a query extends the searcher's previous one, typed within the prefix window.

    `logged` says which record the previous search must have been: a log row (signed in) or a counter.
    """
    if not isinstance(previous, dict) or not isinstance(previous.get("query"), str) or not previous["query"]:
        return False
    if (previous.get("row") is not None) != logged:
        return False
    try:
        at = aware(datetime.fromisoformat(previous["at"]))
    except (TypeError, ValueError):
        return False
    return previous["query"] != query and query.startswith(previous["query"]) and moment - PREFIX_WINDOW <= at <= moment


def log_search(query: str, filters: dict, result_count: int, best_score: float | None,
               previous: dict | None = None, moment: datetime | None = None, key: str | None = None) -> dict:
    """Log one search as a row with its filters, result count and best relevance; return the searcher's mark.

    As-you-type searches arrive as growing prefixes ("SMT", "SMT AOI", ...): a query that extends the same
    searcher's previous logged query within 30 seconds replaces that row instead of adding one, so the log
    holds what people finished typing. Rows are named by a key the searcher's mark carries (`next_mark`).
    """
    table = cast(Table, SearchLog.__table__)  # a mapped class's table
    moment = moment or datetime.now(UTC)
    key = key or uuid4().hex
    values = {"query": query, "filters": json.dumps(filters or {}, ensure_ascii=False, sort_keys=True)[:1000],
              "result_count": int(result_count), "best_score": best_score, "created_at": moment}
    with db.engine.begin() as connection:
        if extends(previous, query, moment, logged=True):
            updated = connection.execute(table.update().where(table.c.mark == str(previous["row"]),
                                                              table.c.query == previous["query"]).values(**values))
            if updated.rowcount:
                return mark(query, moment, str(previous["row"]))
        connection.execute(table.insert().values(mark=key, **values))
    return mark(query, moment, key)


def count_search(query: str, result_count: int, best_score: float | None, moment: datetime | None = None,
                 previous: dict | None = None) -> dict:
    """Add a visitor's search to the day's counter of its query (best similarity and most results kept).

    As in `log_search`, a query that extends the same visitor's previous counted query (`previous`, from
    their session) within 30 seconds takes that count over. Each day counts at most
    ANALYTICS_SEARCH_QUERIES_PER_DAY distinct queries; searches for further new queries are counted
    together under the query "". Returns the visitor's mark for their next search.
    """
    table = cast(Table, SearchStat.__table__)  # a mapped class's table
    moment = moment or datetime.now(UTC)
    day = moment.date()
    cap = int(current_app.config.get("ANALYTICS_SEARCH_QUERIES_PER_DAY", 2000))
    with db.engine.begin() as connection:
        if extends(previous, query, moment, logged=False):
            last = connection.execute(select(table.c.id, table.c.times)
                                      .where(table.c.day == day, table.c.query == previous["query"])).first()
            if last is not None and last.times <= 1:
                connection.execute(table.delete().where(table.c.id == last.id))
            elif last is not None:
                connection.execute(table.update().where(table.c.id == last.id).values(times=table.c.times - 1))
        exists = connection.execute(select(table.c.id).where(table.c.day == day, table.c.query == query)).first()
        if exists is None:
            distinct = connection.execute(select(func.count()).select_from(table).where(
                table.c.day == day, table.c.query != "")).scalar_one()
            if distinct >= cap:
                query, best_score = "", None
        bump(connection, day, query, int(result_count), best_score, moment)
    return mark(query, moment)


def bump(connection: Connection, day: date, query: str, result_count: int, best_score: float | None,
         moment: datetime) -> None:
    """Add one to a (day, query) counter in one statement (insert, or on conflict update), safe under concurrency."""
    table = cast(Table, SearchStat.__table__)  # a mapped class's table
    stmt: postgresql.Insert | sqlite.Insert = (postgresql.insert(table) if connection.dialect.name == "postgresql"
                                               else sqlite.insert(table))
    stmt = stmt.values(day=day, query=query, times=1, best_score=best_score, max_results=result_count,
                       last_at=moment)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.day, table.c.query], set_={
        "times": table.c.times + 1,
        "best_score": case((new.best_score.is_(None), table.c.best_score),
                           (table.c.best_score.is_(None), new.best_score),
                           (new.best_score > table.c.best_score, new.best_score), else_=table.c.best_score),
        "max_results": case((new.max_results > table.c.max_results, new.max_results), else_=table.c.max_results),
        "last_at": new.last_at})
    connection.execute(stmt)


def aware(moment: datetime) -> datetime:
    """Return a datetime as UTC-aware (SQLite hands back naive ones)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class WeakSearch:
    """A query that found nothing good: how often it was searched and the best it ever found."""

    query: str
    times: int
    best_score: float | None
    max_results: int


def weak_searches(limit: int = 15) -> list[WeakSearch]:
    """Return the searches whose best result stayed below the threshold (or found nothing), weakest first.

    Signed-in users' logged searches and visitors' daily counters are added up per query.
    """
    threshold = good_search_threshold()
    merged: dict[str, list] = {}

    def add(query: str, times: int, best: float | None, results: int) -> None:
        """Fold one source's figures for a query into the merged figures."""
        entry = merged.setdefault(query, [0, None, 0])
        entry[0] += int(times)
        if best is not None:
            entry[1] = best if entry[1] is None else max(entry[1], best)
        entry[2] = max(entry[2], int(results or 0))

    for row in db.session.execute(select(SearchLog.query, func.count(), func.max(SearchLog.best_score),
                                         func.max(SearchLog.result_count)).group_by(SearchLog.query)):
        add(*row)
    for row in db.session.execute(select(SearchStat.query, func.sum(SearchStat.times), func.max(SearchStat.best_score),
                                         func.max(SearchStat.max_results))
                                  .where(SearchStat.query != "").group_by(SearchStat.query)):
        add(*row)
    weak = [WeakSearch(q, n, best, results) for q, (n, best, results) in merged.items()
            if best is None or best < threshold]
    return sorted(weak, key=lambda w: (w.best_score if w.best_score is not None else -1.0, -w.times, w.query))[:limit]


def search_count() -> int:
    """Count the searches recorded: logged rows plus visitors' counted searches."""
    logged = db.session.scalar(select(func.count()).select_from(SearchLog)) or 0
    counted = db.session.scalar(select(func.coalesce(func.sum(SearchStat.times), 0))) or 0
    return int(logged) + int(counted)


def voucher_use_by_city() -> list[tuple[str, int, int]] | None:
    """Return (city, orders paid partly with 模型券, voucher amount in fen) per buyer city; None until orders exist.

    Cancelled and refunded orders are left out: their voucher amounts went back to the enterprises.
    """
    from marketplace.accounts.models import Organisation
    from marketplace.orders.models import Order, OrderState

    if not db.session.scalar(select(func.count()).select_from(Order)):
        return None
    live = (OrderState.PLACED.value, OrderState.PAID.value, OrderState.FULFILLED.value)
    rows = db.session.execute(
        select(Organisation.city, func.count(Order.id), func.coalesce(func.sum(Order.voucher_fen), 0))
        .join(Order, Order.buyer_id == Organisation.id)
        .where(Order.voucher_fen > 0, Order.state.in_(live))
        .group_by(Organisation.city).order_by(func.sum(Order.voucher_fen).desc())).all()
    return [(city, int(n), int(total)) for city, n, total in rows]


def to_csv(header: list[str], rows) -> str:
    """Render rows as CSV text with a byte-order mark (spreadsheets read the Chinese) and formula-safe cells."""
    return csv_text(header, rows, bom=True)
