"""Precomputed analytics: the transformation map's counts, the need funnel and each live need's best match.

The analytics pages never count over the marketplace's tables or ask the search index in a request; they
read the snapshots `refresh_aggregates()` writes (`AnalyticsSnapshot`, replaced whole, with when they were
computed). The snapshots are counted in SQL with GROUP BY, whatever the number of records; the one figure
SQL cannot produce, how well the marketplace answers a need, is kept per need (`NeedMatchSummary`) and
refreshed a bounded batch at a time: needs edited since their summary (or without one) first, then the
oldest summaries. `refresh_aggregates` takes no request: the CLI (`flask analytics refresh`), the seed and
a scheduled job call it inside an app context.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import Select, String, and_, case, delete, exists, func, literal, or_, select, union_all

from marketplace import vocab
from marketplace.analytics.models import AnalyticsSnapshot, NeedMatchSummary
from marketplace.cases.models import Case
from marketplace.db_types import contains_code
from marketplace.events.models import EventRegistration, Meeting
from marketplace.extensions import db
from marketplace.kinds import get_kind
from marketplace.moderated import shown
from marketplace.needs.models import Need, NeedStatus
from marketplace.needs.selectors import LIVE_STATUSES, live_needs

MAP, FUNNEL = "map", "funnel"
"""The snapshots' names."""

COUNTED = (("need", "needs"), ("offering", "offerings"), ("model", "models"), ("case", "cases"))
"""The kinds the map counts (their indexed selector says which records), each with the figure it adds to."""

MATCH_BATCH = 200
"""How many needs' best matches one refresh computes at most (ANALYTICS_MATCH_BATCH overrides it)."""


@dataclass
class Snapshot:
    """A snapshot as the pages read it: its figures and when they were computed."""

    data: dict
    computed_at: datetime


def read_snapshot(name: str) -> Snapshot | None:
    """Return a snapshot by name, or None while none has been computed."""
    row = db.session.get(AnalyticsSnapshot, name)
    if row is None:
        return None
    at = row.computed_at if row.computed_at.tzinfo else row.computed_at.replace(tzinfo=UTC)
    return Snapshot(dict(row.data), at)


def write_snapshot(name: str, data: dict, moment: datetime) -> None:
    """Replace a snapshot's figures (the caller commits)."""
    row = db.session.get(AnalyticsSnapshot, name)
    if row is None:
        db.session.add(AnalyticsSnapshot(name=name, data=data, computed_at=moment))
    else:
        row.data, row.computed_at = data, moment


# ---- the map ------------------------------------------------------------------------------------


def vocabulary(rows: list[tuple[str, str]]):
    """A subquery of (code, stage) rows of a vocabulary, to join records' codes against."""
    selects = [select(literal(code, String).label("code"), literal(stage, String).label("stage"))
               for code, stage in rows]
    return union_all(*selects).subquery()


def industries_table():
    """The industries, as a subquery (their stage is empty)."""
    return vocabulary([(code, "") for code in vocab.codes(vocab.INDUSTRIES)])


def scenarios_table():
    """The scenarios with the stage each belongs to, as a subquery."""
    return vocabulary([(s.code, s.parent or "") for s in vocab.SCENARIOS])


def holds(kind: str, attr: str, code) -> Any:
    """SQL condition: a record of the kind has the code among its industries or scenarios (`attr`)."""
    model = get_kind(kind).model
    single = {"industries": "industry", "scenarios": "scenario"}[attr]
    if hasattr(model, single):  # needs and cases name one industry and one scenario
        return getattr(model, single) == code
    return contains_code(getattr(model, attr), code)


def counted(kind: str) -> Select:
    """Select the records of a kind the map counts: those its search index holds."""
    entry = get_kind(kind)
    return select(entry.model.id).where(entry.model.id.in_(entry.indexed().with_only_columns(entry.model.id)))


def count_map() -> dict:
    """Count, per kind, records by industry × scenario, by industry × stage and by stage (GROUP BY, no row loops).

    A record counts once in each (industry, column) pair it covers; by stage, once per stage its scenarios
    fall in, however many of that stage's scenarios it names.
    """
    data: dict = {"scenario": {}, "stage": {}, "stage_totals": {}}
    for kind, figure in COUNTED:
        model = get_kind(kind).model
        ind, scen = industries_table(), scenarios_table()
        records = counted(kind).join(ind, holds(kind, "industries", ind.c.code)) \
            .join(scen, holds(kind, "scenarios", scen.c.code))
        distinct = func.count(func.distinct(model.id))
        data["scenario"][figure] = [
            [i, c, n] for i, c, n in db.session.execute(
                records.with_only_columns(ind.c.code, scen.c.code, distinct).group_by(ind.c.code, scen.c.code))]
        data["stage"][figure] = [
            [i, c, n] for i, c, n in db.session.execute(
                records.with_only_columns(ind.c.code, scen.c.stage, distinct).group_by(ind.c.code, scen.c.stage))]
        by_stage = scenarios_table()
        data["stage_totals"][figure] = {
            stage: n for stage, n in db.session.execute(
                counted(kind).join(by_stage, holds(kind, "scenarios", by_stage.c.code))
                .with_only_columns(by_stage.c.stage, distinct).group_by(by_stage.c.stage))}
    return data


# ---- the funnel ---------------------------------------------------------------------------------


def count_funnel(threshold: float) -> dict:
    """Count needs posted → matched → in talks → contracted → case in one statement; each stage includes the later.

    - matched: in talks or later, or, while live, its best published offering or model (its match summary)
      has a relevance at or above `threshold`;
    - in talks: status in talks or later, or a meeting at a matchmaking event took place;
    - contracted: status contracted, or a deal was reached at an event meeting;
    - case: a published showcase case names the need.
    """
    public = get_kind("case").indexed().with_only_columns(Case.id)
    in_case = exists().where(Case.need_id == Need.id, Case.id.in_(public))

    def met(flag) -> Any:
        """A meeting of the need at an event with the flag set (held, deal)."""
        return exists().where(EventRegistration.need_id == Need.id,
                              Meeting.need_registration_id == EventRegistration.id, flag.is_(True))

    recommended = and_(Need.status.in_(LIVE_STATUSES), exists().where(
        NeedMatchSummary.need_id == Need.id, NeedMatchSummary.best_relevance >= threshold))
    contracted = or_(Need.status == NeedStatus.CONTRACTED.value, in_case, met(Meeting.deal))
    talks = or_(contracted, Need.status == NeedStatus.IN_TALKS.value, met(Meeting.held))
    matched = or_(talks, recommended)

    def tally(condition) -> Any:
        """Count the needs meeting a condition."""
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(select(func.count(Need.id), tally(matched), tally(talks), tally(contracted),
                                    tally(in_case)).where(shown(Need))).one()
    known = db.session.scalar(select(exists().where(NeedMatchSummary.need_id.is_not(None))))
    stages = ["posted", "matched", "in_talks", "contracted", "case"]
    return {"stages": [[code, int(n)] for code, n in zip(stages, row, strict=True)],
            "recommendations_known": bool(known), "threshold": threshold}


# ---- per-need match summaries -------------------------------------------------------------------


def needs_due(limit: int) -> list:
    """Return up to `limit` live needs whose best match is due: edited since their summary or without one first,
    then those with the oldest summaries."""
    summary = NeedMatchSummary
    changed = (live_needs().outerjoin(summary, summary.need_id == Need.id)
               .where(or_(summary.need_id.is_(None), Need.updated_at > summary.computed_at))
               .order_by(Need.id).limit(limit))
    due = list(db.session.scalars(changed))
    if len(due) < limit:
        oldest = (live_needs().join(summary, summary.need_id == Need.id)
                  .where(Need.updated_at <= summary.computed_at, Need.id.not_in([n.id for n in due]))
                  .order_by(summary.computed_at, Need.id).limit(limit - len(due)))
        due += list(db.session.scalars(oldest))
    return due


def refresh_match_summaries(limit: int | None = None, moment: datetime | None = None) -> int | None:
    """Recompute the best published offering or model of a bounded batch of due needs; return how many.

    Returns None, changing nothing, while the search index is not loaded in this process.
    """
    from marketplace.matching.services import best_solution_relevance

    limit = int(limit if limit is not None else current_app.config.get("ANALYTICS_MATCH_BATCH", MATCH_BATCH))
    moment = moment or datetime.now(UTC)
    needs = needs_due(limit)
    if not needs:
        return 0
    best = best_solution_relevance(needs, AnonymousUserMixin())
    if best is None:
        return None
    ids = [n.id for n in needs]
    db.session.execute(delete(NeedMatchSummary).where(NeedMatchSummary.need_id.in_(ids)))
    db.session.add_all(NeedMatchSummary(need_id=i, best_relevance=best.get(i), computed_at=moment) for i in ids)
    return len(ids)


# ---- refresh ------------------------------------------------------------------------------------


def refresh_snapshots(moment: datetime | None = None) -> None:
    """Recount the map and the funnel from the database and the match summaries, and commit."""
    from marketplace.analytics.services import matched_threshold

    moment = moment or datetime.now(UTC)
    write_snapshot(MAP, count_map(), moment)
    write_snapshot(FUNNEL, count_funnel(matched_threshold()), moment)
    db.session.commit()


def refresh_aggregates(match_limit: int | None = None) -> dict:
    """Refresh a bounded batch of match summaries, then every snapshot; commit. Returns what was done.

    A plain function for an app context (no request): the CLI, the seed and the job queue's schedule call it.
    """
    moment = datetime.now(UTC)
    summarised = refresh_match_summaries(match_limit, moment)
    db.session.commit()
    refresh_snapshots(moment)
    return {"match_summaries": summarised, "computed_at": moment}
