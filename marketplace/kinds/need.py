"""SMEs' scenario needs as a searchable kind."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_
from sqlalchemy.orm import selectinload

from marketplace.kinds.base import Kind, ModelRef, register
from marketplace.moderated import VISIBLE


@register
class NeedKind(Kind):
    """SMEs' scenario needs, indexed while live; visitors find only public ones."""

    name, model, collection = "need", ModelRef("marketplace.needs.models:Need"), "needs"
    label, plural = _l("Need"), _l("Needs")
    city_reason = _l("Need from this city")
    detail_endpoint, detail_arg = "needs.detail", "need_id"
    view_permission = "need.view"
    hidden_status = 403
    demand = True

    def indexed(self) -> Select:
        """Select the live needs."""
        from marketplace.needs.selectors import live_needs

        return live_needs()

    def is_indexed(self, record) -> bool:
        """Tell whether the need is live."""
        from marketplace.needs.selectors import is_live

        return is_live(record)

    def close_process(self, record):
        """The need process: closing sets the need's status to closed."""
        from marketplace.needs.process import NEED

        return NEED

    def loads(self) -> list:
        """The SME organisation (named where the reader may see it)."""
        return [selectinload(self.model.organisation)]

    def findable(self, filters: dict, user) -> Select:
        """Live needs the user may read, with the facets; a budget finds needs that can pay it."""
        from marketplace.needs.selectors import visible_to

        need = self.model
        stmt = visible_to(super().findable(filters, user), user)
        if filters.get("statuses"):
            stmt = stmt.where(need.status.in_(filters["statuses"]))
        for name in ("industry", "scenario", "city", "deployment"):
            if filters.get(name):
                stmt = stmt.where(getattr(need, name) == filters[name])
        if filters.get("budget") is not None:
            stmt = stmt.where(or_(need.budget_max_fen.is_(None), need.budget_max_fen >= filters["budget"]))
        return stmt

    def text_parts(self, record) -> list[str | None]:
        """Title, description, pain points and the data the SME has."""
        return [record.title, record.description, record.pain_points, record.data_available]

    def deployments(self, record) -> list[str] | None:
        """The deployment the SME asks for, if any."""
        return [record.deployment] if record.deployment else None

    def budget_cap(self, record) -> int | None:
        """The top of the SME's budget."""
        return record.budget_max_fen

    def brief(self, record, user) -> dict:
        """Title, and the SME's name only where the user may see it."""
        from marketplace.needs.services import shows_owner

        return {"title": record.title,
                "organisation": record.organisation.name if shows_owner(record, user) else None}

    def serialise(self, record, user) -> dict:
        """The need's fields, hiding the SME's name where the user may not see it."""
        from marketplace.needs.services import shows_owner

        return {"id": record.id, "title": record.title, "description": record.description,
                "industry": record.industry, "scenario": record.scenario, "city": record.city,
                "deployment": record.deployment, "budget_min_fen": record.budget_min_fen,
                "budget_max_fen": record.budget_max_fen,
                "deadline": record.deadline.isoformat() if record.deadline else None, "status": record.status,
                "moderation": record.moderation or VISIBLE, "visibility": record.visibility,
                "organisation": record.organisation.name if shows_owner(record, user) else None}

    def browse(self, filters: dict, user) -> Select:
        """Needs the user may read with the needs page's filters, newest first."""
        from marketplace.needs.services import browse_needs

        return browse_needs(filters, user)

    def browse_form(self, args):
        """The needs page's filter form."""
        from marketplace.needs.forms import NeedBrowseForm

        return NeedBrowseForm(args)
