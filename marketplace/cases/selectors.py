"""Which showcase cases are public: published and featured ones."""
from __future__ import annotations

from sqlalchemy import Select, select

from marketplace.cases.models import Case, CaseState

PUBLIC_STATES = (CaseState.PUBLISHED.value, CaseState.FEATURED.value)


def is_public(case: Case) -> bool:
    """Tell whether everyone may see a case."""
    return case.state in PUBLIC_STATES


def public_cases() -> Select:
    """Select the public cases."""
    return select(Case).where(Case.state.in_(PUBLIC_STATES))
