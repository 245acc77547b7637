"""The three kinds of vendor listing: offerings (模型超市), industrial model cards (工业模型) and provider profiles."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from marketplace.db_types import contains_code
from marketplace.kinds.base import Kind, ModelRef, organisation_city, register
from marketplace.moderated import VISIBLE

if TYPE_CHECKING:  # annotations only: the models are imported on first use (`ModelRef`)
    from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile

    ListingModel: TypeAlias = Offering | IndustrialModel | ProviderProfile
    """The model classes of the listing kinds."""


class ListingKind(Kind):
    """What the three kinds of vendor listing share: published ones are indexed, with the same facets."""

    model: type[ListingModel]
    listing = True
    solution = True
    view_permission = "listing.view"
    detail_arg = "listing_id"
    similar_label: Any = _l("Similar solutions")  # the heading of 相似方案 on a listing's page

    def picture(self, record) -> tuple[Any, str, str] | None:
        """The listing's cover (a provider: its logo), else the vendor's initials."""
        return record.picture, record.organisation.name, record.picture_alt

    def indexed(self) -> Select:
        """Select the published listings of this kind."""
        from marketplace.catalog.selectors import published

        return published(self.model)

    def is_indexed(self, record) -> bool:
        """Tell whether the listing is published."""
        from marketplace.catalog.selectors import is_public

        return is_public(record)

    def close_process(self, record):
        """The listing process: closing delists it."""
        from marketplace.catalog.process import process_of

        return process_of(record)

    def loads(self) -> list:
        """The vendor organisation with its logo (cards, explanations and the API name it; cards show the logo)."""
        from marketplace.accounts.models import Organisation

        return [selectinload(self.model.organisation).joinedload(Organisation.logo)]

    def explain_loads(self) -> list:
        """The vendor's city (`cities`)."""
        return organisation_city(self.model)

    def findable(self, filters: dict, user) -> Select:
        """Published listings with the industry, scenario, city and deployment facets."""
        cls = self.model
        stmt = super().findable(filters, user)
        if filters.get("industry"):
            stmt = stmt.where(contains_code(cls.industries, filters["industry"]))
        if filters.get("scenario"):
            stmt = stmt.where(contains_code(cls.scenarios, filters["scenario"]))
        if filters.get("city"):
            stmt = self.in_city(stmt, filters["city"])
        if filters.get("deployment") and hasattr(cls, "deployments"):
            stmt = stmt.where(contains_code(cls.deployments, filters["deployment"]))
        return stmt

    def in_city(self, stmt: Select, city: str) -> Select:
        """Narrow to listings whose vendor is in the city."""
        from marketplace.accounts.models import Organisation

        return stmt.join(self.model.organisation).where(Organisation.city == city)

    city_reason = _l("Vendor based in this city")

    def cities(self, record) -> set[str]:
        """The vendor's city."""
        return {record.organisation.city}

    def deployments(self, record) -> list[str] | None:
        """The deployments the listing supports."""
        return list(record.deployments or [])

    def serialise(self, record, user) -> dict:
        """The public fields every listing has."""
        return {"id": record.id, "title": record.title, "state": record.state,
                "moderation": record.moderation or VISIBLE, "industries": record.industries,
                "scenarios": record.scenarios, "organisation": record.organisation.name,
                "summary": record.summary}

    def browse(self, filters: dict, user) -> Select:
        """Published listings of this kind with the catalogue's filters, newest first."""
        from marketplace.catalog.services import browse_listings

        return browse_listings(self.name, filters)

    def browse_form(self, args):
        """The catalogue's filter form."""
        from marketplace.catalog.forms import BrowseForm

        return BrowseForm(args)


@register
class OfferingKind(ListingKind):
    """模型超市 offerings: priced, bought with vouchers."""

    name, model, collection = "offering", ModelRef("marketplace.catalog.models:Offering"), "offerings"
    label, plural = _l("Offering"), _l("Offerings")
    detail_endpoint = "catalog.offering_detail"

    def text_parts(self, record) -> list[str | None]:
        """Title, summary, description, tags and the names and tasks of its models."""
        return [record.title, record.summary, record.description, record.tags,
                " ".join(f"{m.name} {m.tasks or ''}" for m in record.models)]

    def loads(self) -> list:
        """The vendor and the models behind the offering (its text and the API's model ids)."""
        return [*super().loads(), selectinload(self.model.models), joinedload(self.model.cover),
                selectinload(self.model.catalogue_entries)]  # type: ignore[attr-defined]  # redemptions.models

    def findable(self, filters: dict, user) -> Select:
        """Listing facets plus the budget: nothing dearer than it."""
        stmt = super().findable(filters, user)
        if filters.get("budget") is not None:
            stmt = stmt.where(self.model.price_fen <= filters["budget"])
        return stmt

    def price(self, record) -> int | None:
        """The offering's price."""
        return record.price_fen

    def serialise(self, record, user) -> dict:
        """Listing fields plus price, plan, the regions whose 模型券 catalogue it is in, deployment, delivery
        and models."""
        from marketplace.redemptions.catalogue import catalogue_regions

        data = super().serialise(record, user)
        data.update(price_fen=record.price_fen, pricing_plan=record.pricing_plan,
                    voucher_regions=catalogue_regions(record), deployments=record.deployments,
                    delivery_days=record.delivery_days, model_ids=[m.id for m in record.models])
        return data


@register
class ModelKind(ListingKind):
    """工业模型 model cards."""

    name, model, collection = "model", ModelRef("marketplace.catalog.models:IndustrialModel"), "models"
    label, plural = _l("Model"), _l("Models")
    detail_endpoint = "catalog.model_detail"
    similar_label = _l("Similar models")
    rated_by_vendor = True

    def loads(self) -> list:
        """The vendor, the cover and the evaluation table (model cards and the API show it)."""
        return [*super().loads(), joinedload(self.model.cover), selectinload(self.model.evaluations),
                selectinload(self.model.versions)]

    def text_parts(self, record) -> list[str | None]:
        """Name, summary, description, intended use, tasks and hardware."""
        return [record.name, record.summary, record.description, record.intended_use, record.tasks, record.hardware]

    def serialise(self, record, user) -> dict:
        """Listing fields plus model kind, version, deployments, the card's sections, the evaluation table and the
        version history."""
        data = super().serialise(record, user)
        data.update(kind=record.kind, version=record.version, deployments=record.deployments,
                    intended_use=record.intended_use, limitations=record.limitations,
                    training_data=record.training_data,
                    versions=[{"number": v.number, "released_on": v.released_on.isoformat(), "notes": v.notes}
                              for v in record.versions],
                    evaluations=[{"id": e.id, "metric": e.metric, "value": e.value, "dataset": e.dataset,
                                  "evaluator": e.evaluator, "attestation": e.attestation,
                                  "third_party": e.is_attested,
                                  "attested_at": e.attested_at.isoformat() if e.is_attested and e.attested_at else None}
                                 for e in record.evaluations])
        return data


@register
class ProviderKind(ListingKind):
    """服务商 provider profiles."""

    name, model, collection = "provider", ModelRef("marketplace.catalog.models:ProviderProfile"), "providers"
    label, plural = _l("Provider"), _l("Providers")
    detail_endpoint = "catalog.provider_detail"
    similar_label = _l("Similar providers")
    picture_class = "pic-logo"

    def text_parts(self, record) -> list[str | None]:
        """The organisation's name, summary, capabilities and reference cases."""
        return [record.organisation.name, record.summary, record.capabilities, record.reference_cases]

    def in_city(self, stmt: Select, city: str) -> Select:
        """Narrow to providers serving the city."""
        return stmt.where(contains_code(self.model.cities_served, city))

    city_reason = _l("Serves this city")

    def cities(self, record) -> set[str]:
        """The cities served and the provider's own."""
        return set(record.cities_served) | {record.organisation.city}

    def deployments(self, record) -> list[str] | None:
        """Providers state no deployment."""
        return None

    def serialise(self, record, user) -> dict:
        """Listing fields plus provider type and cities served."""
        data = super().serialise(record, user)
        data.update(provider_type=record.provider_type, cities_served=record.cities_served)
        return data
