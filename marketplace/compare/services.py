"""Building a comparison and a leaderboard from visible models and their evaluation rows.

Evaluation rows are aligned by (dataset, metric), names folded by `metrics.normalise`; the best value of a row
and the ranks of a leaderboard follow the metric's direction (`metrics.direction_of`). Attested rows (confirmed
by the evaluation body named, `ModelEvaluation.is_attested`) and self-reported ones are kept apart: a row's best
is marked among its attested results when it has any, and a leaderboard ranks attested results only, showing
self-reported ones separately when asked.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from marketplace.catalog.models import IndustrialModel, ModelEvaluation, Offering
from marketplace.compare.tray import MAX_MODELS
from marketplace.metrics import Better, best_positions, direction_of, measured, normalise, ranked


def row_key(evaluation: ModelEvaluation) -> tuple[str, str]:
    """The (dataset, metric) a result belongs to, with spelling differences of case and spaces folded."""
    return normalise(evaluation.dataset), normalise(evaluation.metric)


@dataclass
class PriceRange:
    """The lowest and highest price of the published offerings on one pricing plan that use a model."""

    plan: str
    low_fen: int
    high_fen: int
    count: int


@dataclass
class EvaluationRow:
    """One (dataset, metric) across the compared models: each model's results (none: a blank) and the best."""

    dataset: str
    metric: str
    better: Better | None
    cells: list[list[ModelEvaluation]]
    best_ids: set[int] = field(default_factory=set)

    def is_best(self, evaluation: ModelEvaluation) -> bool:
        """Tell whether this result is the row's best value."""
        return evaluation.id in self.best_ids

    @property
    def best_among_attested(self) -> bool:
        """Tell whether the best was chosen among attested results only (the row has some)."""
        return any(e.is_attested for cell in self.cells for e in cell)


@dataclass
class Comparison:
    """Two to four model cards side by side: facts, prices of the offerings built on them, aligned evaluations."""

    models: list[IndustrialModel]
    prices: dict[int, list[PriceRange]]
    offering_counts: dict[int, int]
    rows: list[EvaluationRow]


def price_ranges(offerings: list[Offering]) -> list[PriceRange]:
    """Group offerings by pricing plan into price ranges (one-off, annual, per call are not comparable)."""
    by_plan: dict[str, list[int]] = defaultdict(list)
    for offering in offerings:
        by_plan[offering.pricing_plan].append(offering.price_fen)
    return [PriceRange(plan, min(prices), max(prices), len(prices)) for plan, prices in sorted(by_plan.items())]


def best_of(evaluations: list[ModelEvaluation], better: Better | None) -> set[int]:
    """Return the ids of the best results in one row of two or more: among the attested ones when there are any
    (a lone attested result is the best attested one, whatever self-reported values claim)."""
    if better is None or len(evaluations) < 2:
        return set()
    candidates = [e for e in evaluations if e.is_attested] or evaluations
    if len(candidates) == 1:
        return {candidates[0].id} if measured(candidates[0].value) is not None else set()
    return {candidates[i].id for i in best_positions([e.value for e in candidates], better)}


def align_evaluations(models: list[IndustrialModel]) -> list[EvaluationRow]:
    """One row per (dataset, metric) across the models, with a blank cell where a model has no result.

    Rows that several models share come first (they are what a comparison is for), then by dataset and metric."""
    rows: dict[tuple[str, str], EvaluationRow] = {}
    for column, model in enumerate(models):
        for evaluation in model.evaluations:
            key = row_key(evaluation)
            if key not in rows:
                rows[key] = EvaluationRow(evaluation.dataset, evaluation.metric, direction_of(evaluation.metric),
                                          [[] for _model in models])
            rows[key].cells[column].append(evaluation)
    for row in rows.values():
        row.best_ids = best_of([e for cell in row.cells for e in cell], row.better)
    return sorted(rows.values(), key=lambda r: (-sum(1 for cell in r.cells if cell), normalise(r.dataset),
                                                normalise(r.metric)))


def compare_models(models: list[IndustrialModel], offerings: dict[int, list[Offering]]) -> Comparison:
    """Build the side-by-side comparison of the given (visible) models and the published offerings using them."""
    return Comparison(models=models,
                      prices={m.id: price_ranges(offerings.get(m.id, [])) for m in models},
                      offering_counts={m.id: len(offerings.get(m.id, [])) for m in models},
                      rows=align_evaluations(models))


@dataclass
class Board:
    """The results of one (dataset, metric) in a scenario: attested ones ranked, self-reported ones apart."""

    dataset: str
    metric: str
    better: Better | None
    attested: list[tuple[int, ModelEvaluation]]
    unranked: list[ModelEvaluation]
    self_reported: list[tuple[int, ModelEvaluation]]
    self_reported_count: int
    model_count: int

    @property
    def compare_ids(self) -> str:
        """The leading attested models (up to four), as the comparison page's ?ids=."""
        ids: list[int] = []
        for _rank, evaluation in self.attested:
            if evaluation.model_id not in ids:
                ids.append(evaluation.model_id)
        return ",".join(str(i) for i in ids[:MAX_MODELS])


@dataclass
class Leaderboard:
    """A scenario's boards, and what was left out (self-reported results when they are not shown)."""

    scenario: str | None
    boards: list[Board]
    self_reported_hidden: int
    shown_self_reported: bool


def rank_group(evaluations: list[ModelEvaluation], better: Better | None) -> tuple[list, list]:
    """Rank one group's results in the metric's direction; without a direction (or comparable values) the
    results are returned unranked."""
    ranks = ranked(evaluations, lambda e: e.value, better) if better is not None else []
    placed = {id(e) for _rank, e in ranks}
    return ranks, [e for e in evaluations if id(e) not in placed]


def shared_groups(evaluations: list[ModelEvaluation]) -> dict[tuple[str, str], list[ModelEvaluation]]:
    """Group results by (dataset, metric), keeping the groups two or more models share (a shared dataset)."""
    groups: dict[tuple[str, str], list[ModelEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        groups[row_key(evaluation)].append(evaluation)
    return {key: rows for key, rows in groups.items() if len({e.model_id for e in rows}) >= 2}


def build_leaderboard(scenario: str | None, evaluations: list[ModelEvaluation],
                      show_self_reported: bool) -> Leaderboard:
    """Rank a scenario's results on shared datasets: attested results per (dataset, metric), in the metric's
    direction, with self-reported results ranked apart when asked (and counted when not)."""
    boards = []
    hidden = 0
    for rows in shared_groups(evaluations).values():
        first = rows[0]
        better = direction_of(first.metric)
        attested = [e for e in rows if e.is_attested]
        own = [e for e in rows if not e.is_attested]
        if not attested and not show_self_reported:
            hidden += len(own)
            continue
        ranks, unranked = rank_group(attested, better)
        own_ranks, own_unranked = rank_group(own, better) if show_self_reported else ([], [])
        hidden += 0 if show_self_reported else len(own)
        boards.append(Board(first.dataset, first.metric, better, ranks, unranked + own_unranked, own_ranks,
                            len(own), len({e.model_id for e in rows})))
    boards.sort(key=lambda b: (-len(b.attested), -b.model_count, normalise(b.dataset), normalise(b.metric)))
    return Leaderboard(scenario, boards, hidden, show_self_reported)


def scenarios_with_boards(evaluations: list[ModelEvaluation]) -> list[tuple[str, int]]:
    """Return the scenarios whose models share a dataset and metric, with how many such boards each has, most
    first."""
    counts: Counter[str] = Counter()
    by_scenario: dict[str, list[ModelEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        for scenario in evaluation.model.scenarios or []:
            by_scenario[scenario].append(evaluation)
    for scenario, rows in by_scenario.items():
        groups = shared_groups(rows)
        if groups:
            counts[scenario] = len(groups)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
