"""The parts of a searchable kind (`Kind`), the registry they are kept in, and its look-ups.

CTFd's challenge types are the pattern (`BaseChallenge`, `CHALLENGE_CLASSES`, `get_chal_class`): a kind is a
`Kind` subclass registered once with `@register`; everything else asks `get_kind`, `kind_of`, `all_kinds`,
`solution_kinds`, `listing_kinds` or `by_collection`. This module imports no feature package, so any module
may import it without an import cycle.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from flask import url_for
from flask.sansio.app import App
from sqlalchemy import Select

from marketplace import vocab
from marketplace.permissions import can

if TYPE_CHECKING:  # annotations only: at run time this module imports no feature package
    from marketplace.cases.models import Case
    from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
    from marketplace.datasets.models import Dataset
    from marketplace.experts.models import Expert
    from marketplace.kinds.listings import ListingKind
    from marketplace.needs.models import Need

    IndexedModel: TypeAlias = Need | Offering | IndustrialModel | ProviderProfile | Case | Expert | Dataset
    """The model classes of the registered kinds (a new kind adds its model here)."""


class ModelRef:
    """A kind's model class, named as "package.module:Class" and imported on first use.

    The registry imports no feature package when it loads, so any module (a feature's process, search,
    the API) may import it without an import cycle.
    """

    def __init__(self, path: str):
        """Remember where the class lives."""
        self.path = path

    def __get__(self, kind, owner=None):
        """Return the class."""
        module, _, name = self.path.partition(":")
        return getattr(import_module(module), name)


class Kind(ABC):
    """One searchable kind; subclasses fill in the parts (CTFd's `BaseChallenge` is the pattern)."""

    name: str = ""
    model: type[IndexedModel] = None  # type: ignore[assignment]  # each registered kind sets its ModelRef
    label: Any = None  # one record, e.g. "Offering"
    plural: Any = None  # the search filter's choice, e.g. "Offerings"
    collection: str = ""  # the JSON API's path segment, e.g. "offerings"
    detail_endpoint: str = ""
    detail_arg: str = "id"
    view_permission: str = ""  # the named rule that says who may read one record
    solution: bool = False  # offered to a need as a solution (推荐方案)
    demand: bool = False  # asks for solutions: what the search's needs tab (a vendor's default) covers
    listing: bool = False  # a vendor's published listing (profile, model card, offering)
    similar_label: Any = None  # a listing page's heading over similar records (相似方案, 相似模型, …)
    hidden_status: int = 404  # what the API answers for a record the caller may not read
    city_reason: Any = None  # what "same city" means for this kind, e.g. "Based in your city"

    picture_class: str = "pic-thumb"  # how a card draws the record's picture (a cover; a provider: a logo)
    rated_by_vendor: bool = False  # a card's rating is the vendor's reviews, and says so (a model card)

    def picture(self, record) -> tuple[Any, str, str] | None:
        """Return what a card shows as the record's picture — (uploaded image or None, the name its initials
        stand in for, the text alternative) — or None when this kind's cards have no picture."""
        return None

    @property
    def card_template(self) -> str:
        """The template that draws one record of this kind as a card (search, solutions, home)."""
        return f"_cards/{self.name}.html"

    # ---- which records --------------------------------------------------------------------------

    @abstractmethod
    def indexed(self) -> Select:
        """Select the records the search index holds (the feature's selector)."""

    @abstractmethod
    def is_indexed(self, record) -> bool:
        """Tell whether a record belongs in the index in its current state."""

    def findable(self, filters: dict, user) -> Select:
        """Select the ids of indexed records the user may find with the search filters (facets)."""
        return self.indexed().with_only_columns(self.model.id)

    def loads(self) -> list:
        """Return the loader options that fetch what a card, a list row or a serialiser of this kind reads.

        Every list (pages, dashboards, the API, search results) applies them, so a page of 20 records costs
        the same number of statements as a page of 2.
        """
        return []

    def explain_loads(self) -> list:
        """Return the loader options that fetch what an explanation reads (`cities`, `deployments`, `price`,
        `budget_cap`), and no more.

        A search explains every good match, to count and order them, but shows a page of them: the page's
        cards then get the rest with `loads()` (`marketplace.matching.services.with_cards`).
        """
        return []

    def is_visible_to(self, record, user) -> bool:
        """Tell whether the user may read one record (its named view rule)."""
        return can(user, self.view_permission, record)

    # ---- how a record reads ---------------------------------------------------------------------

    @abstractmethod
    def text_parts(self, record) -> list[str | None]:
        """Return what a person would search this record by (the index adds industry and scenario names)."""

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

    # ---- moderation ----------------------------------------------------------------------------

    def owner_id(self, record) -> int | None:
        """Return the organisation that owns a record (moderators of its city decide about it; it is told why)."""
        return record.organisation_id

    def close_process(self, record):
        """Return the process whose `moderate` transition closes a record for a moderator (None: it cannot be
        closed, only hidden)."""
        return None

    # ---- where and how it is shown --------------------------------------------------------------

    def url(self, record, **values) -> str:
        """Return the URL of a record's detail page."""
        return url_for(self.detail_endpoint, **{self.detail_arg: record.id}, **values)

    @abstractmethod
    def serialise(self, record, user) -> dict:
        """Return a record's fields for the JSON API, as the user may see them."""

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


def organisation_city(model) -> list:
    """The loader options that fetch a record's organisation with its city alone (the `explain_loads` of the kinds
    whose `cities` read the organisation's)."""
    from sqlalchemy.orm import selectinload

    from marketplace.accounts.models import Organisation

    return [selectinload(model.organisation).load_only(Organisation.city)]


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


def listing_kinds() -> list[ListingKind]:
    """Return the kinds that are vendors' listings."""
    # Only ListingKind says `listing = True`.
    return cast("list[ListingKind]", [k for k in REGISTRY.values() if k.listing])


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


def install(app: App) -> None:
    """Let templates look kinds up: `kind_of(name_or_record)` and `all_kinds()`."""

    def lookup(value) -> Kind:
        """Return the kind of a name or of a record."""
        return get_kind(value) if isinstance(value, str) else kind_of(value)

    app.jinja_env.globals.update(kind_of=lookup, all_kinds=all_kinds)
