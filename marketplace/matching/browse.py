"""The browse pages' lists: ranked by the search engine when there is a keyword, else in the order asked for.

Every keyword box of the site (offerings, models, providers, needs, cases, and the JSON API's lists with
`q`) goes through here, so a keyword finds what the search page finds: the page's filters select the
records (a SQL select), the hybrid index ranks them and keeps the good matches. Without a keyword the list
keeps its filters and can be sorted by newest, price or rating, a numbered page at a time.
"""
from __future__ import annotations

from typing import Any, NamedTuple, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from marketplace.kinds import get_kind, kind_of
from marketplace.web import paginate, paginate_list

RELEVANCE, NEWEST, PRICE_ASC, PRICE_DESC, RATING = "relevance", "newest", "price_asc", "price_desc", "rating"
SORT_LABELS = {RELEVANCE: _l("Relevance"), NEWEST: _l("Newest"), PRICE_ASC: _l("Price: low to high"),
               PRICE_DESC: _l("Price: high to low"), RATING: _l("Rating")}


def sorts_for(kind: str, has_query: bool) -> list[str]:
    """The orders a list of this kind can take: relevance only with a keyword, price where there is one."""
    model = get_kind(kind).model
    out = [RELEVANCE] if has_query else []
    out.append(NEWEST)
    if hasattr(model, "price_fen"):
        out += [PRICE_ASC, PRICE_DESC]
    if rating_of(kind) is not None:
        out.append(RATING)
    return out


def sort_choices(kind: str, has_query: bool) -> list[tuple[str, object]]:
    """The sort select's choices for a list of this kind."""
    return [(name, SORT_LABELS[name]) for name in sorts_for(kind, has_query)]


def rating_key(kind: str):
    """Which reviews rate a record of this kind: (the review column, the record's attribute it matches), or None.

    An offering is rated by the reviews of that offering; a model card and a provider profile by the reviews of
    their vendor (a model has no reviews of its own, so its cards say the rating is the provider's)."""
    from marketplace.reviews.models import Review

    model = get_kind(kind).model
    if kind == "offering":
        return Review.offering_id, "id"
    if hasattr(model, "organisation_id"):
        return Review.vendor_id, "organisation_id"
    return None


def rating_of(kind: str):
    """A subquery of (key, average rating) of visible reviews for this kind's records, or None if unrated."""
    from marketplace.reviews.models import Review

    found = rating_key(kind)
    if found is None:
        return None
    key = found[0]
    return (select(key.label("key"), func.avg(Review.rating).label("rating"))
            .where(Review.hidden.is_(False), key.is_not(None)).group_by(key).subquery())


def ratings_for(kind: str, records: list) -> dict[int, tuple[float, int]]:
    """Return {record id: (average rating to one decimal, number of reviews)} for the rated records of a page, in
    one query whatever the page's length."""
    from marketplace.reviews.services import average_by

    found = rating_key(kind)
    if found is None or not records or not get_kind(kind).listing:
        return {}
    column, attribute = found
    averages = average_by(column, {getattr(r, attribute) for r in records})
    return {r.id: averages[getattr(r, attribute)] for r in records if getattr(r, attribute) in averages}


class CardRating(NamedTuple):
    """A card's rating: the average (one decimal), the number of reviews, and whether they rate the vendor
    (indexable as the list pages' (average, reviews) pairs are)."""

    average: float
    reviews: int
    of_vendor: bool


class CardRatings:
    """The ratings of the records a page draws as cards (search results, the home page), found in one query per
    kind; the cards ask `of(record)`, as the list pages read `page.ratings`."""

    def __init__(self, records: list):
        """Find the ratings of the records, grouped by kind."""
        self.found: dict[tuple[str, int], CardRating] = {}
        by_kind: dict[str, list] = {}
        for record in records:
            by_kind.setdefault(kind_of(record).name, []).append(record)
        for name, group in by_kind.items():
            of_vendor = get_kind(name).rated_by_vendor
            for record_id, (average, count) in ratings_for(name, group).items():
                self.found[(name, record_id)] = CardRating(average, count, of_vendor)

    def of(self, record) -> CardRating | None:
        """Return a record's rating, or None when it has no reviews (or its kind is not rated)."""
        return self.found.get((kind_of(record).name, record.id))


def ordered(kind: str, stmt: Select, sort: str) -> Select:
    """The select in the order asked for (its own default order for "newest")."""
    model = get_kind(kind).model
    if sort in (PRICE_ASC, PRICE_DESC) and hasattr(model, "price_fen"):
        price = model.price_fen.asc() if sort == PRICE_ASC else model.price_fen.desc()
        return stmt.order_by(None).order_by(price, model.id.desc())
    ratings = rating_of(kind) if sort == RATING else None
    if ratings is not None:
        key = model.id if kind == "offering" else cast(Any, model).organisation_id  # listings only
        return (stmt.outerjoin(ratings, ratings.c.key == key).order_by(None)
                .order_by(func.coalesce(ratings.c.rating, 0).desc(), model.id.desc()))
    return stmt


def browse_page(kind: str, stmt: Select, filters: dict, user, sort: str | None = None, page_size: int | None = None):
    """One page of a browse list: ranked by the engine with a keyword, else ordered; `page.relevance` says why.

    With a keyword only the good matches are listed and counted, best first unless another order is asked
    for, and `page.relevance` maps each record id to its `Match` (relevance label, reasons); without a
    keyword it is None.
    """
    from marketplace.matching.services import rank_select, with_cards  # the engine's services load the feature models

    query = (filters.get("q") or "").strip()
    allowed = sorts_for(kind, bool(query))
    sort = sort if sort in allowed else allowed[0]
    matches = None
    if query:
        results = rank_select(kind, stmt, query, filters, user, cards=False)
        matches = {m.record.id: m for m in results.matches}
    if matches is not None and sort == RELEVANCE:
        page = paginate_list([m.record for m in results.matches], page_size)
        with_cards(page.items)
    else:
        total = None
        if matches is not None:
            stmt = stmt.where(get_kind(kind).model.id.in_(list(matches)))
        elif not any(filters.values()):  # the whole list: the home page's count of the same records, kept a minute
            from marketplace.main.services import marketplace_counts

            total = marketplace_counts(user).get(get_kind(kind).collection)
        page = paginate(ordered(kind, stmt, sort).options(*get_kind(kind).loads()), page_size, total=total)
    page.relevance = matches
    page.sort = sort
    page.ratings = ratings_for(kind, list(page.items))
    return page
