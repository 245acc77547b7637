"""The diagnosis report of a self-assessment: scores per dimension, the weakest dimensions, the scenarios an
enterprise of that industry and level typically starts with, and matching solutions from the search engine.

Typical scenarios are derived from the marketplace's own data, not from a fixed table: every published case in
the enterprise's industry counts 2 for its scenario, every live need in that industry counts 1, and a live need
posted by an enterprise whose level that counts equals this enterprise's level counts 3 instead; the three
heaviest scenarios are shown with their weights. When the industry has no cases or needs yet, all industries
are counted and the report says so. The matching offerings, cases and providers come from the search engine
(`matching.services.ranked`, the ranking behind a need's 推荐方案) for those scenarios in this industry.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from marketplace import vocab
from marketplace.accounts.models import Organisation, User
from marketplace.cases.models import Case
from marketplace.cases.selectors import public_cases
from marketplace.diagnosis.indicators import Dimension, indicator_system
from marketplace.diagnosis.level import LevelStanding, effective_level, effective_levels
from marketplace.diagnosis.models import Assessment
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.needs.selectors import live_needs
from marketplace.templating import term_label

REPORT_KINDS = ("offering", "case", "provider")
"""The kinds of solution the report lists, in order."""
PER_KIND = 3
WEAKEST = 2
CASE_WEIGHT, NEED_WEIGHT, SAME_LEVEL_NEED_WEIGHT = 2, 1, 3


@dataclass
class DimensionScore:
    """One dimension's score (tenths of a point) out of its maximum."""

    dimension: Dimension
    tenths: int
    max_points: int

    @property
    def points(self) -> float:
        """The score in points."""
        return self.tenths / 10

    @property
    def percent(self) -> int:
        """The score as a share of the maximum, for a bar's length."""
        return round(self.tenths * 10 / self.max_points) if self.max_points else 0


@dataclass
class Report:
    """What a diagnosis report shows."""

    assessment: Assessment
    standing: LevelStanding
    dimensions: list[DimensionScore]
    weakest: list[DimensionScore]
    scenarios: list[tuple[str, int]]
    scenarios_from_all_industries: bool
    matches: dict[str, list] = field(default_factory=dict)
    matches_pending: bool = False
    """True while the search index is being built: the rest of the report stands, the solutions follow later."""


def dimension_scores(assessment: Assessment) -> list[DimensionScore]:
    """Return the assessment's score per dimension, in the standard's order."""
    system = indicator_system()
    return [DimensionScore(d, int(assessment.dimension_scores.get(d.code, 0)), system.dimension_points)
            for d in system.dimensions]


def typical_scenarios(industry: str | None, level: int | None, n: int = 3) -> tuple[list[tuple[str, int]], bool]:
    """Return the n heaviest scenarios of published cases and live needs in an industry (weights as documented
    above) and whether all industries had to be counted."""
    for everywhere in (False, True):
        weights: Counter = Counter()
        cases = public_cases().with_only_columns(Case.scenario)
        needs = live_needs()
        if not everywhere:
            cases, needs = cases.where(Case.industry == industry), needs.where(Need.industry == industry)
        for scenario in db.session.scalars(cases):
            weights[scenario] += CASE_WEIGHT
        found = list(db.session.scalars(needs.limit(2000)))
        orgs = list(db.session.scalars(select(Organisation).where(
            Organisation.id.in_({need.organisation_id for need in found}))))
        levels = effective_levels(orgs)
        for need in found:
            same = level is not None and levels[need.organisation_id].level == level
            weights[need.scenario] += SAME_LEVEL_NEED_WEIGHT if same else NEED_WEIGHT
        if weights:
            return sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:n], everywhere
    return [], True


def matching_solutions(org: Organisation, scenarios: list[str], user: User) -> dict[str, list]:
    """Rank offerings, cases and providers for the scenarios in the enterprise's industry (the search engine)."""
    from marketplace.kinds import get_kind
    from marketplace.matching.services import ranked

    words = [term_label(org.industry, "industry") if org.industry else ""]
    for code in scenarios:
        term = vocab.lookup(vocab.SCENARIOS, code)
        if term is not None:
            words += [term.zh, term.description]
    query = "\n".join(w for w in words if w)
    if not query.strip():
        return {kind: [] for kind in REPORT_KINDS}
    selects = {kind: get_kind(kind).findable({}, user) for kind in REPORT_KINDS}
    context = {"industries": [org.industry] if org.industry else [], "scenarios": scenarios, "cities": [org.city],
               "deployment": None, "budget": None}
    found = ranked(query, selects, context, scenario=scenarios[0] if scenarios else None).matches
    out: dict[str, list] = {kind: [] for kind in REPORT_KINDS}
    for match in found:
        if len(out[match.kind]) < PER_KIND:
            out[match.kind].append(match)
    return out


def build_report(assessment: Assessment, user: User, with_matches: bool = True) -> Report:
    """Assemble the diagnosis report of one assessment for a reader (without solutions while the index builds)."""
    from marketplace.matching.engine import IndexNotReady

    org = assessment.organisation
    dims = dimension_scores(assessment)
    weakest = sorted(dims, key=lambda d: (d.tenths, [x.dimension.code for x in dims].index(d.dimension.code)))
    standing = effective_level(org)
    scenarios, everywhere = typical_scenarios(org.industry, assessment.level)
    matches: dict[str, list] = {kind: [] for kind in REPORT_KINDS}
    pending = False
    if with_matches:
        try:
            matches = matching_solutions(org, [code for code, _w in scenarios], user)
        except IndexNotReady:
            pending = True
    return Report(assessment, standing, dims, weakest[:WEAKEST], scenarios, everywhere, matches, pending)
