"""The registry of searchable kinds: every part of a kind that the rest of the site needs, registered once.

A kind (offering, model, provider, case, need) is a subclass of `Kind` registered with `@register`: its
name and model class, its label in both languages, which records the index holds (from the feature's
selectors) and which of them a user may find with the search filters, the text a record is indexed by,
its card template (`templates/_cards/<name>.html`), its detail page, its JSON form, and whether it is
offered to needs as a solution (推荐方案). Search, the API, analytics, digests, the home page and the
templates read `REGISTRY` (through `get_kind`, `kind_of`, `all_kinds`, `solution_kinds`) and keep no
table of kinds of their own, so adding a searchable kind is one class here and one card template.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_

from marketplace import vocab
from marketplace.accounts.models import Organisation
from marketplace.cases.models import Case
from marketplace.cases.selectors import public_cases
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.catalog.selectors import published
from marketplace.db_types import contains_code
from marketplace.needs.models import Need
from marketplace.needs.selectors import is_live, live_needs, visible_to as needs_visible_to
from marketplace.permissions import can


class Kind:
    """One searchable kind; subclasses fill in the parts (CTFd's `BaseChallenge` is the pattern)."""

    name: str = ""
    model: type = None  # type: ignore[assignment]
    label: Any = None  # one record, e.g. "Offering"
    plural: Any = None  # the search filter's choice, e.g. "Offerings"
    collection: str = ""  # the JSON API's path segment, e.g. "offerings"
    detail_endpoint: str = ""
    detail_arg: str = "id"
    view_permission: str = ""  # the named rule that says who may read one record
    solution: bool = False  # offered to a need as a solution (推荐方案)
    listing: bool = False  # a vendor's published listing (profile, model card, offering)
    hidden_status: int = 404  # what the API answers for a record the caller may not read

    @property
    def card_template(self) -> str:
        """The template that draws one record of this kind as a card (search, solutions, home)."""
        return f"_cards/{self.name}.html"

    # ---- which records --------------------------------------------------------------------------

    def indexed(self) -> Select:
        """Select the records the search index holds (the feature's selector)."""
        raise NotImplementedError

    def is_indexed(self, record) -> bool:
        """Tell whether a record belongs in the index in its current state."""
        raise NotImplementedError

    def findable(self, filters: dict, user) -> Select:
        """Select the ids of indexed records the user may find with the search filters (facets)."""
        return self.indexed().with_only_columns(self.model.id)

    def is_visible_to(self, record, user) -> bool:
        """Tell whether the user may read one record (its named view rule)."""
        return can(user, self.view_permission, record)

    # ---- how a record reads ---------------------------------------------------------------------

    def text_parts(self, record) -> list[str | None]:
        """Return what a person would search this record by (the index adds industry and scenario names)."""
        raise NotImplementedError

    def cities(self, record) -> set[str]:
        """Return the cities a record is in or serves (explanations: "same city")."""
        city = getattr(record, "city", None)
        return {city} if city else set()

    def deployments(self, record) -> list[str] | None:
        """Return the deployments a record offers or asks for; None when the kind has none."""
        return None

    def price(self, record) -> int | None:
        """Return the price of a record in fen, if it has one (compared with a need's budget)."""
        return None

    def budget_cap(self, record) -> int | None:
        """Return the most a record's owner will pay in fen, if said (compared with a listing's price)."""
        return None

    # ---- where and how it is shown --------------------------------------------------------------

    def url(self, record, **values) -> str:
        """Return the URL of a record's detail page."""
        return url_for(self.detail_endpoint, **{self.detail_arg: record.id}, **values)

    def serialise(self, record, user) -> dict:
        """Return a record's fields for the JSON API, as the user may see them."""
        raise NotImplementedError

    def brief(self, record, user) -> dict:
        """Return the few fields a search result carries in the JSON API."""
        return {"title": record.title}

    def browse(self, filters: dict, user) -> Select | None:
        """Select the records the JSON API lists with filters (None: this kind has no list)."""
        return None

    def browse_form(self, args):
        """Return the filter form of the JSON API's list (None: this kind has no list)."""
        return None

    def __repr__(self) -> str:
        """Show the kind's name."""
        return f"<Kind {self.name}>"


REGISTRY: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Register a kind class (one instance) under its name; a name registered twice is an error."""
    if cls.name in REGISTRY:
        raise ValueError(f"kind {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def get_kind(name: str) -> Kind:
    """Return the registered kind of a name (KeyError if there is none)."""
    return REGISTRY[name]


def kind_of(record) -> Kind:
    """Return the registered kind of a record (TypeError if its class is not a searchable kind)."""
    for kind in REGISTRY.values():
        if type(record) is kind.model:
            return kind
    raise TypeError(f"{type(record).__name__} is not a searchable kind")


def all_kinds() -> list[Kind]:
    """Return every registered kind, in registration order."""
    return list(REGISTRY.values())


def solution_kinds() -> list[Kind]:
    """Return the kinds offered to a need as solutions."""
    return [k for k in REGISTRY.values() if k.solution]


def listing_kinds() -> list[Kind]:
    """Return the kinds that are vendors' listings."""
    return [k for k in REGISTRY.values() if k.listing]


def by_collection(collection: str) -> Kind | None:
    """Return the kind the JSON API serves under a path segment, or None."""
    return next((k for k in REGISTRY.values() if k.collection == collection), None)


def facets(record) -> str:
    """Return the Chinese names of a record's industries and scenarios (indexed with its text)."""
    def labels(codes, terms) -> str:
        """Return the Chinese names of some vocabulary codes."""
        found = (vocab.lookup(terms, c) for c in codes or [])
        return " ".join(t.zh for t in found if t is not None)

    return " ".join(p for p in (labels(record.industries, vocab.INDUSTRIES),
                                labels(record.scenarios, vocab.SCENARIOS)) if p)


def install(app: Flask) -> None:
    """Let templates look kinds up: `kind_of(name_or_record)` and `all_kinds()`."""

    def lookup(value) -> Kind:
        """Return the kind of a name or of a record."""
        return get_kind(value) if isinstance(value, str) else kind_of(value)

    app.jinja_env.globals.update(kind_of=lookup, all_kinds=all_kinds)


# ---- the kinds ------------------------------------------------------------------------------------


class ListingKind(Kind):
    """What the three kinds of vendor listing share: published ones are indexed, with the same facets."""

    listing = True
    solution = True
    view_permission = "listing.view"
    detail_arg = "listing_id"

    def indexed(self) -> Select:
        """Select the published listings of this kind."""
        return published(self.model)

    def is_indexed(self, record) -> bool:
        """Tell whether the listing is published."""
        from marketplace.catalog.selectors import is_public

        return is_public(record)

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
        return stmt.join(self.model.organisation).where(Organisation.city == city)

    def cities(self, record) -> set[str]:
        """The vendor's city."""
        return {record.organisation.city}

    def deployments(self, record) -> list[str] | None:
        """The deployments the listing supports."""
        return list(record.deployments or [])

    def serialise(self, record, user) -> dict:
        """The public fields every listing has."""
        return {"id": record.id, "title": record.title, "state": record.state, "industries": record.industries,
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

    name, model, collection = "offering", Offering, "offerings"
    label, plural = _l("Offering"), _l("Offerings")
    detail_endpoint = "catalog.offering_detail"

    def text_parts(self, record) -> list[str | None]:
        """Title, summary, description, tags and the names and tasks of its models."""
        return [record.title, record.summary, record.description, record.tags,
                " ".join(f"{m.name} {m.tasks or ''}" for m in record.models)]

    def findable(self, filters: dict, user) -> Select:
        """Listing facets plus the budget: nothing dearer than it."""
        stmt = super().findable(filters, user)
        if filters.get("budget") is not None:
            stmt = stmt.where(Offering.price_fen <= filters["budget"])
        return stmt

    def price(self, record) -> int | None:
        """The offering's price."""
        return record.price_fen

    def serialise(self, record, user) -> dict:
        """Listing fields plus price, plan, vouchers, deployment, delivery and models."""
        data = super().serialise(record, user)
        data.update(price_fen=record.price_fen, pricing_plan=record.pricing_plan,
                    voucher_eligible=record.voucher_eligible, deployments=record.deployments,
                    delivery_days=record.delivery_days, model_ids=[m.id for m in record.models])
        return data


@register
class ModelKind(ListingKind):
    """工业模型 model cards."""

    name, model, collection = "model", IndustrialModel, "models"
    label, plural = _l("Model"), _l("Models")
    detail_endpoint = "catalog.model_detail"

    def text_parts(self, record) -> list[str | None]:
        """Name, summary, description, tasks and hardware."""
        return [record.name, record.summary, record.description, record.tasks, record.hardware]

    def serialise(self, record, user) -> dict:
        """Listing fields plus model kind, version, deployments and the evaluation table."""
        data = super().serialise(record, user)
        data.update(kind=record.kind, version=record.version, deployments=record.deployments,
                    evaluations=[{"metric": e.metric, "value": e.value, "dataset": e.dataset,
                                  "evaluator": e.evaluator, "third_party": e.third_party}
                                 for e in record.evaluations])
        return data


@register
class ProviderKind(ListingKind):
    """服务商 provider profiles."""

    name, model, collection = "provider", ProviderProfile, "providers"
    label, plural = _l("Provider"), _l("Providers")
    detail_endpoint = "catalog.provider_detail"

    def text_parts(self, record) -> list[str | None]:
        """The organisation's name, summary, capabilities and reference cases."""
        return [record.organisation.name, record.summary, record.capabilities, record.reference_cases]

    def in_city(self, stmt: Select, city: str) -> Select:
        """Narrow to providers serving the city."""
        return stmt.where(contains_code(ProviderProfile.cities_served, city))

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


@register
class CaseKind(Kind):
    """Showcase cases (看样学样), public once published or featured."""

    name, model, collection = "case", Case, "cases"
    label, plural = _l("Case"), _l("Cases")
    detail_endpoint, detail_arg = "cases.detail", "case_id"
    view_permission = "case.view"
    solution = True

    def indexed(self) -> Select:
        """Select the public cases."""
        return public_cases()

    def is_indexed(self, record) -> bool:
        """Tell whether the case is public."""
        from marketplace.cases.selectors import is_public

        return is_public(record)

    def findable(self, filters: dict, user) -> Select:
        """Public cases in the industry, scenario and city asked for."""
        stmt = super().findable(filters, user)
        for name in ("industry", "scenario", "city"):
            if filters.get(name):
                stmt = stmt.where(getattr(Case, name) == filters[name])
        return stmt

    def text_parts(self, record) -> list[str | None]:
        """Title, problem, solution and the measured indicators."""
        return [record.title, record.problem, record.solution, " ".join(r.indicator for r in record.results)]

    def serialise(self, record, user) -> dict:
        """The case's public fields and measured results."""
        return {"id": record.id, "title": record.title, "enterprise_name": record.enterprise_name,
                "industry": record.industry, "scenario": record.scenario, "city": record.city,
                "year": record.year, "state": record.state, "problem": record.problem,
                "solution": record.solution,
                "results": [{"indicator": r.indicator, "before": float(r.before), "after": float(r.after),
                             "unit": r.unit} for r in record.results]}


@register
class NeedKind(Kind):
    """SMEs' scenario needs, indexed while live; visitors find only public ones."""

    name, model, collection = "need", Need, "needs"
    label, plural = _l("Need"), _l("Needs")
    detail_endpoint, detail_arg = "needs.detail", "need_id"
    view_permission = "need.view"
    hidden_status = 403

    def indexed(self) -> Select:
        """Select the live needs."""
        return live_needs()

    def is_indexed(self, record) -> bool:
        """Tell whether the need is live."""
        return is_live(record)

    def findable(self, filters: dict, user) -> Select:
        """Live needs the user may read, with the facets; a budget finds needs that can pay it."""
        stmt = needs_visible_to(super().findable(filters, user), user)
        if filters.get("statuses"):
            stmt = stmt.where(Need.status.in_(filters["statuses"]))
        for name in ("industry", "scenario", "city", "deployment"):
            if filters.get(name):
                stmt = stmt.where(getattr(Need, name) == filters[name])
        if filters.get("budget") is not None:
            stmt = stmt.where(or_(Need.budget_max_fen.is_(None), Need.budget_max_fen >= filters["budget"]))
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
                "visibility": record.visibility,
                "organisation": record.organisation.name if shows_owner(record, user) else None}

    def browse(self, filters: dict, user) -> Select:
        """Needs the user may read with the needs page's filters, newest first."""
        from marketplace.needs.services import browse_needs

        return browse_needs(filters, user)

    def browse_form(self, args):
        """The needs page's filter form."""
        from marketplace.needs.forms import NeedBrowseForm

        return NeedBrowseForm(args)
