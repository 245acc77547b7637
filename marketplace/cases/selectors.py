"""Which showcase cases are public (published and featured ones) and which are featured."""
from __future__ import annotations

from sqlalchemy import Select, select

from marketplace.cases.models import Case, CaseState
from marketplace.moderated import shown

PUBLIC_STATES = (CaseState.PUBLISHED.value, CaseState.FEATURED.value)
FEATURED_STATE = CaseState.FEATURED.value


def is_public(case: Case) -> bool:
    """Tell whether everyone may see a case: published or featured, and shown (moderation)."""
    return case.state in PUBLIC_STATES and case.is_shown


def public_cases() -> Select:
    """Select the public cases."""
    return select(Case).where(Case.state.in_(PUBLIC_STATES), shown(Case))


def is_featured(case: Case) -> bool:
    """Tell whether a promotion center features the case (it is shown first, with a badge)."""
    return case.state == FEATURED_STATE


def featured_first():
    """Return an ORDER BY term that puts featured cases first."""
    return (Case.state == FEATURED_STATE).desc()
