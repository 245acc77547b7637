"""Case services: which cases the public sees, filtered."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.cases.models import Case, CaseState
from marketplace.catalog.services import text_condition

PUBLIC_STATES = (CaseState.PUBLISHED.value, CaseState.FEATURED.value)


def browse_cases(filters: dict, vendor_id: int | None = None, offering_id: int | None = None):
    """Return a select of public cases matching the filters, featured first, newest year first."""
    stmt = select(Case).where(Case.state.in_(PUBLIC_STATES))
    for name in ("industry", "scenario", "city"):
        if filters.get(name):
            stmt = stmt.where(getattr(Case, name) == filters[name])
    if filters.get("year"):
        stmt = stmt.where(Case.year == filters["year"])
    if vendor_id is not None:
        stmt = stmt.where(Case.vendor_id == vendor_id)
    if offering_id is not None:
        stmt = stmt.where(Case.offering_id == offering_id)
    if filters.get("q"):
        stmt = stmt.where(text_condition(filters["q"], Case.title, Case.problem, Case.solution,
                                         Case.enterprise_name))
    return stmt.order_by((Case.state == CaseState.FEATURED.value).desc(), Case.year.desc(), Case.id.desc())
