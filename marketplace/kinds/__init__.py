"""The registry of searchable kinds: every part of a kind that the rest of the site needs, registered once.

A kind (offering, model, provider, case, expert, dataset, need) is a subclass of `Kind` registered with `@register`: its
name and model class, its label in both languages, which records the index holds (from the feature's
selectors) and which of them a user may find with the search filters, the text a record is indexed by,
its card template (`templates/_cards/<name>.html`), its detail page, its JSON form, and whether it is
offered to needs as a solution (推荐方案). Search, the API, analytics, digests, the home page and the
templates read `REGISTRY` (through `get_kind`, `kind_of`, `all_kinds`, `solution_kinds`) and keep no
table of kinds of their own, so adding a searchable kind is one registered class in this package and one
card template.

`base` holds `Kind` and the registry; `listings` (offering, model, provider), `case`, `expert`, `dataset` and `need`
the kinds,
imported here in the order search offers them.
"""
# isort: off
# The kinds register on import, and the registry keeps that order (search offers them in it): not sorted.
from marketplace.kinds import listings, case, expert, dataset, need  # noqa: F401
# isort: on
from marketplace.kinds.base import (
                                    REGISTRY,
                                    Kind,
                                    ModelRef,
                                    all_kinds,
                                    by_collection,
                                    facets,
                                    get_kind,
                                    install,
                                    kind_of,
                                    listing_kinds,
                                    register,
                                    solution_kinds,
)

__all__ = ["REGISTRY", "Kind", "ModelRef", "all_kinds", "by_collection", "facets", "get_kind", "install", "kind_of",
           "listing_kinds", "register", "solution_kinds"]
