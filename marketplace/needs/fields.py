"""What a scenario need must hold: the one declaration the need services check (`check_need`), the need form
reads for its validators and the API's schemas for their documented limits."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from marketplace import vocab
from marketplace.errors import DomainError
from marketplace.field_rules import Code, Rule, Text, Whole, field_problems, trimmed
from marketplace.forms_common import MAX_FEN
from marketplace.needs.models import Visibility

MAX_BUDGET_FEN = MAX_FEN
"""The largest budget bound a need may give (what an amount typed on any page may come to)."""

NEED_FIELDS: dict[str, Rule] = {
    "title": Text(120, min=4, required=True),
    "description": Text(5000, min=20, required=True),
    "industry": Code(vocab.codes(vocab.INDUSTRIES)),
    "scenario": Code(vocab.codes(vocab.SCENARIOS)),
    "pain_points": Text(3000),
    "data_available": Text(3000),
    "budget_min_fen": Whole(0, MAX_BUDGET_FEN, required=False),
    "budget_max_fen": Whole(0, MAX_BUDGET_FEN, required=False),
    "deployment": Code(vocab.codes(vocab.DEPLOYMENTS), required=False),
    "city": Code(vocab.codes(vocab.CITIES)),
    "visibility": Code(tuple(v.value for v in Visibility)),
}


def budget_problem(low: int | None, high: int | None) -> str | None:
    """Say what is wrong with a budget range (its maximum below its minimum), or None."""
    if low is not None and high is not None and low > high:
        return _("The budget maximum must not be below the minimum.")
    return None


def deadline_problem(deadline, original: date | None, today: date | None = None) -> str | None:
    """Say what is wrong with a deadline (not a date; a new one in the past — an unchanged old one may stay)."""
    if deadline is None:
        return None
    if not isinstance(deadline, date):
        return _("Give a date as YYYY-MM-DD.")
    if deadline < (today or date.today()) and deadline != original:
        return _("The deadline cannot be in the past.")
    return None


def check_need(fields: dict, creating: bool, original_deadline: date | None = None,
               budget: tuple[int | None, int | None] = (None, None)) -> dict:
    """Return a need's fields trimmed, or refuse them with the reason for each field.

    `budget` is the need's current (minimum, maximum), which an edit that sends one bound is checked against;
    `original_deadline` the deadline it has now."""
    clean = trimmed(fields)
    reasons = field_problems(NEED_FIELDS, clean, creating)
    if "deadline" in clean and (problem := deadline_problem(clean["deadline"], original_deadline)):
        reasons.append(("deadline", problem))
    low = clean.get("budget_min_fen", budget[0])
    high = clean.get("budget_max_fen", budget[1])
    if not any(name.startswith("budget") for name, _text in reasons if name) \
            and (problem := budget_problem(low, high)):
        reasons.append(("budget_max_fen" if "budget_max_fen" in clean else "budget_min_fen", problem))
    if reasons:
        raise DomainError(reasons=reasons)
    return clean
