"""Experts of the 专家人才库 as a searchable kind: offered to needs as their own group of 推荐方案."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from marketplace.db_types import contains_code
from marketplace.kinds.base import Kind, ModelRef, register


@register
class ExpertKind(Kind):
    """Experts in the public pool: found by their fields, industries, scenarios and the cities they visit.

    Their telephone and e-mail are never part of what search or the API shows (`expert.contact`).
    """

    name, model, collection = "expert", ModelRef("marketplace.experts.models:Expert"), "experts"
    label, plural = _l("Expert"), _l("Experts")
    city_reason = _l("Visits this city")
    similar_label = _l("Similar experts")
    detail_endpoint, detail_arg = "experts.detail", "expert_id"
    view_permission = "expert.view"
    solution = True

    def indexed(self) -> Select:
        """Select the experts of the public pool."""
        from marketplace.experts.selectors import public_experts

        return public_experts()

    def is_indexed(self, record) -> bool:
        """Tell whether the expert is in the public pool."""
        from marketplace.experts.selectors import is_public

        return is_public(record)

    def owner_id(self, record) -> int | None:
        """The promotion center that keeps the expert."""
        return record.center_id

    def findable(self, filters: dict, user) -> Select:
        """Public experts in the industry, scenario and city asked for."""
        stmt = super().findable(filters, user)
        for name, column in (("industry", "industries"), ("scenario", "scenarios"), ("city", "cities")):
            if filters.get(name):
                stmt = stmt.where(contains_code(getattr(self.model, column), filters[name]))
        return stmt

    def cities(self, record) -> set[str]:
        """The cities the expert visits."""
        return set(record.cities or [])

    def text_parts(self, record) -> list[str | None]:
        """Name, position, organisation, fields of expertise and background."""
        return [record.name, record.position, record.employer, record.fields, record.bio]

    def serialise(self, record, user) -> dict:
        """The expert's public fields (never the contact details)."""
        return {"id": record.id, "name": record.name, "position": record.position, "employer": record.employer,
                "fields": record.fields, "bio": record.bio, "industries": record.industries,
                "scenarios": record.scenarios, "cities": record.cities, "availability": record.availability,
                "center_id": record.center_id}

    def brief(self, record, user) -> dict:
        """Name and position."""
        return {"title": record.name, "position": record.position}
