"""Showcase cases (看样学样) as a searchable kind."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from marketplace.kinds.base import Kind, ModelRef, register


@register
class CaseKind(Kind):
    """Showcase cases (看样学样), public once published or featured."""

    name, model, collection = "case", ModelRef("marketplace.cases.models:Case"), "cases"
    label, plural = _l("Case"), _l("Cases")
    city_reason = _l("Case from this city")
    detail_endpoint, detail_arg = "cases.detail", "case_id"
    view_permission = "case.view"
    solution = True

    def indexed(self) -> Select:
        """Select the public cases."""
        from marketplace.cases.selectors import public_cases

        return public_cases()

    def is_indexed(self, record) -> bool:
        """Tell whether the case is public."""
        from marketplace.cases.selectors import is_public

        return is_public(record)

    def owner_id(self, record) -> int | None:
        """The curating promotion center."""
        return record.center_id

    def close_process(self, record):
        """The case process: closing takes the case back to a draft."""
        from marketplace.cases.process import CASE

        return CASE

    def loads(self) -> list:
        """The measured results (cards and the API list them)."""
        return [selectinload(self.model.results)]

    def findable(self, filters: dict, user) -> Select:
        """Public cases in the industry, scenario and city asked for."""
        stmt = super().findable(filters, user)
        for name in ("industry", "scenario", "city"):
            if filters.get(name):
                stmt = stmt.where(getattr(self.model, name) == filters[name])
        return stmt

    def text_parts(self, record) -> list[str | None]:
        """Title, problem, solution and the measured indicators."""
        return [record.title, record.problem, record.solution, " ".join(r.indicator for r in record.results)]

    def serialise(self, record, user) -> dict:
        """The case's public fields and measured results."""
        return {"id": record.id, "title": record.title, "enterprise_name": record.shown_enterprise,
                "anonymous": record.anonymous,
                "industry": record.industry, "scenario": record.scenario, "city": record.city,
                "year": record.year, "state": record.state, "problem": record.problem,
                "solution": record.solution,
                "results": [result_json(r) for r in record.results]}


def result_json(result) -> dict:
    """A measured result with its change as the pages show it (`cases.results.change_of`): the direction that is
    better for the indicator, the change in words and its tone (better, worse, same, unknown)."""
    change = result.change
    direction = result.direction
    return {"indicator": result.indicator, "before": float(result.before), "after": float(result.after),
            "unit": result.unit, "better": direction.value if direction else None,
            "change_percent": float(change.percent) if change.percent is not None else None,
            "change": change.text, "tone": change.tone}
