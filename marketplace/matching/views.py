"""Matching views: the search page, a need's 推荐方案 and a listing's leads and similar listings."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, after_this_request, current_app, render_template, request, session
from flask_login import current_user

from marketplace.analytics import services as analytics
from marketplace.extensions import db, limiter
from marketplace.kinds import REGISTRY, get_kind
from marketplace.matching import bp
from marketplace.matching.browse import CardRatings
from marketplace.matching.forms import SearchForm
from marketplace.matching.services import (
    Results,
    default_tab,
    leads_for_listing,
    rank_for_need,
    search,
    similar_listings,
    with_cards,
)
from marketplace.needs.models import Need
from marketplace.permissions import can
from marketplace.proposals.forms import InviteForm
from marketplace.proposals.services import INVITATION_MAX, invitable_kinds, invitations_sent
from marketplace.web import paginate_list, render_page

LAST_SEARCH_KEY = "last_search"
SEARCH_PAGE_SIZE = 10
RATE_LIMITED_SEARCHES = ("matching.search_page", "api.search_api")


def search_rate_limit() -> str:
    """The configured rate limit of searches per client (anonymous search page and the search API)."""
    return current_app.config["SEARCH_RATE_LIMIT"]


@bp.before_app_request
def limit_searches():
    """Count a search against the client's rate limit: the search API always, the page for visitors only."""
    if request.endpoint not in RATE_LIMITED_SEARCHES:
        return
    if request.endpoint == "matching.search_page" and current_user.is_authenticated:
        return
    with limiter.shared_limit(search_rate_limit, scope="search"):
        pass


def filter_form() -> SearchForm:
    """Build and validate the search/filter form from the query string."""
    form = SearchForm(request.args)
    form.fill_vocab()
    form.validate()
    return form


def render_search(form: SearchForm, status: int = 200, record: bool = True):
    """Run the form's search and render the page (or its results block for htmx).

    Only good matches (above the relevance floor) are listed, a page at a time, and counted; a query with
    none says so and what to try. A query longer than the limit is refused before any work: the page comes
    back with the text and the message, status 422, and nothing is encoded or logged.
    """
    tab = form.tab(default_tab(current_user))
    if form.q.errors:
        return render_page("matching/search.html", form=form, results=Results([]), page=paginate_list([]),
                           query="", tab=tab, ratings=CardRatings([])), 422
    query = form.q.data or ""
    filters = {**form.filters(), "kind": tab}
    results = search(query, filters, current_user, cards=False) if query else Results([])
    if record:
        record_after_response(query, filters, results)
    page = paginate_list(results.matches, SEARCH_PAGE_SIZE)
    with_cards(page.items)
    return render_page("matching/search.html", form=form, results=results, query=query, tab=tab, page=page,
                       ratings=CardRatings([m.record for m in page.items])), status


def record_after_response(query: str, filters: dict, results: Results) -> None:
    """Keep the searcher's mark in their session now, and log the search once the response has been sent."""
    signed_in, previous, moment = current_user.is_authenticated, session.get(LAST_SEARCH_KEY), datetime.now(UTC)
    given = session[LAST_SEARCH_KEY] = analytics.next_mark(query, signed_in, previous, moment)
    key = str(given["row"]) if isinstance(given, dict) and given.get("row") else None
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not its proxy
    figures = (results.total, results.best)

    def record() -> None:
        """Write the log row or the visitor counter, in the app but outside the finished request."""
        with app.app_context():
            analytics.record_search(query, filters, *figures, signed_in=signed_in, previous=previous, moment=moment,
                                    key=key)

    @after_this_request
    def later(response):
        """Run the recording when the server closes the response."""
        response.call_on_close(record)
        return response


@bp.route("/search")
def search_page():
    """Search everything with one box; results update as you type and carry their reasons."""
    return render_search(filter_form())


@bp.route("/needs/<int:need_id>/solutions")
def need_solutions(need_id: int):
    """The 推荐方案 block of a need: ranked records of each solution kind (htmx fragment)."""
    need_kind = get_kind("need")
    need = db.session.get(Need, need_id)
    if need is None or not need_kind.is_visible_to(need, current_user):
        abort(404)
    form = filter_form()
    ranked = rank_for_need(need, current_user, filters=form.filters())
    invite_kinds = invitable_kinds(need, current_user)
    return render_template("matching/_need_solutions.html", need=need, ranked=ranked, form=form,
                           invite_kinds=invite_kinds, invited=invitations_sent(need) if invite_kinds else {},
                           invite_form=InviteForm(formdata=None), invite_max=INVITATION_MAX)


@bp.route("/listings/<kind>/<int:listing_id>/matches")
def listing_matches(kind: str, listing_id: int):
    """A listing's 匹配需求 (leads, for its vendor) and 相似方案 (for everyone), as an htmx fragment."""
    entry = REGISTRY.get(kind)
    if entry is None or not entry.listing:
        abort(404)
    listing = db.session.get(entry.model, listing_id)
    if listing is None or not entry.is_visible_to(listing, current_user):
        abort(404)
    owner = can(current_user, "listing.edit", listing)
    leads = leads_for_listing(listing, current_user) if owner else []
    return render_template("matching/_listing_matches.html", listing=listing, kind=kind, owner=owner,
                           leads=leads, similar=similar_listings(listing, current_user),
                           similar_label=entry.similar_label)
