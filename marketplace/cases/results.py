"""How a case's measured result is shown: the change from before to after, said one way, and whether it is an
improvement by the indicator's direction (`CaseResult.direction`, which reads `marketplace.metrics`).

Every place that shows a case result — the case pages and cards, the collection page and its PDF, the JSON
API — asks `change_of`, so "缺陷漏检率 降低 59.5%" reads the same everywhere and is marked an improvement in the
site's improvement colour, while a rise of a miss rate is marked a worsening.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from marketplace.metrics import Better

if TYPE_CHECKING:
    from marketplace.cases.models import CaseResult

BETTER, WORSE, SAME, UNKNOWN = "better", "worse", "same", "unknown"
"""The tone of a change: an improvement, a worsening, no change, or a change whose direction is not known."""


@dataclass(frozen=True)
class ResultChange:
    """One result's change as shown: the words ("降低 59.5%"), its tone, and the figures the API returns."""

    text: str
    tone: str
    percent: Decimal | None
    """The size of the change relative to before, in percent (never negative); None when before is zero."""

    @property
    def tone_text(self) -> str:
        """Say the tone in words, for screen readers and print where colour does not carry it."""
        return {BETTER: _("improvement"), WORSE: _("worsening")}.get(self.tone, "")


def percent_text(percent: Decimal) -> str:
    """Format a percentage with one decimal: 59.5%."""
    return f"{percent:.1f}%"


def change_of(result: CaseResult) -> ResultChange:
    """Return how a result changed, in words, and whether that is better or worse by the indicator's direction."""
    before, after = Decimal(result.before), Decimal(result.after)
    direction = result.direction
    if after == before:
        return ResultChange(_("unchanged"), SAME, Decimal(0))
    fell = after < before
    if direction is None:
        tone = UNKNOWN
    else:
        tone = BETTER if fell == (direction is Better.LOWER) else WORSE
    if not before:
        return ResultChange(_("up from 0") if not fell else _("down from 0"), tone, None)
    percent = abs(result.change_percent or Decimal(0))
    words = _("down %(percent)s", percent=percent_text(percent)) if fell \
        else _("up %(percent)s", percent=percent_text(percent))
    return ResultChange(words, tone, percent)
