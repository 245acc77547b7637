"""The one owner of score → per-dimension score → level.

Every dimension weighs `dimension_points` (25); a dimension scores its share of its best possible answers, the
total is the sum, and the level is the highest band whose lower edge the total reaches (the 2022 edition's
bands, lower edge included: 20 → level 1, 40 → level 2, 60 → level 3, 80 → level 4; below 20 → 0, "below
level 1"). Exact fractions decide the level, so a total that rounds to 40.0 but is below 40 stays level 1.
Scores are kept in tenths of a point.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _

from marketplace.diagnosis.indicators import IndicatorSystem, indicator_system
from marketplace.errors import DomainError


@dataclass(frozen=True)
class Score:
    """The result of one set of answers: points per dimension and in total (tenths) and the level 0–4."""

    dimensions: dict[str, int]
    total_tenths: int
    level: int


def tenths(value: Fraction) -> int:
    """Round a score to tenths of a point, halves up."""
    return int((value * 10 + Fraction(1, 2)) // 1)


def level_for(total: Fraction | int | float, system: IndicatorSystem | None = None) -> int:
    """Return the level a total of points reaches (0 below the lowest band)."""
    system = system or indicator_system()
    for edge, level in system.bands:
        if total >= edge:
            return level
    return 0


def check_answers(answers: dict[str, int], system: IndicatorSystem) -> None:
    """Refuse answers that leave a question out, name an unknown question or give an answer it does not have."""
    known = {q.code: q for q in system.questions}
    missing = [code for code in known if code not in answers]
    if missing:
        raise DomainError(_("Answer every question: %(n)s left unanswered.", n=len(missing)),
                          reasons=[(code, _("Answer this question.")) for code in missing])
    for code, value in answers.items():
        question = known.get(code)
        if question is None:
            raise DomainError(_("Unknown question."))
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= question.max_points:
            raise DomainError(_("Choose one of the answers."), code)


def score(answers: dict[str, int], system: IndicatorSystem | None = None) -> Score:
    """Score a complete set of answers (question code → index of the chosen answer) into dimensions and a level."""
    system = system or indicator_system()
    check_answers(answers, system)
    per: dict[str, Fraction] = {}
    for dim in system.dimensions:
        best = sum(q.max_points for q in dim.questions)
        got = sum(answers[q.code] for q in dim.questions)
        per[dim.code] = Fraction(system.dimension_points * got, best)
    total = sum(per.values(), Fraction(0))
    return Score({code: tenths(v) for code, v in per.items()}, tenths(total), level_for(total, system))
