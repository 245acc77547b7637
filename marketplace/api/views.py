"""JSON API v1 views: every registered kind's records and lists, and search, read from the registry of kinds.

`/api/v1/<collection>` lists a kind's records with the same filters as its pages (kinds that have a list), a
numbered page at a time (`page`) or, to walk a whole list, by keyset (`cursor`, see `marketplace.api.cursors`),
`/api/v1/<collection>/<id>` returns one record the caller may read, and `/api/v1/search` searches every kind.
Which kinds exist, how each is serialised and who may read it come from `marketplace.kinds`.
"""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.api import bp
from marketplace.api.cursors import InvalidCursor, keyset_page
from marketplace.api.errors import ApiError
from marketplace.api.schemas import ListQuery, Me, Record, RecordList, SearchAnswer, SearchQuery
from marketplace.api.spec import operation
from marketplace.extensions import db
from marketplace.kinds import Kind, all_kinds, by_collection, get_kind
from marketplace.matching.browse import browse_page
from marketplace.web import ListPage, page_number


def listed_collections() -> dict:
    """The schema of the collection path segment: every kind that has a list."""
    return {"type": "string", "enum": sorted(k.collection for k in all_kinds() if k.collection
                                             and k.browse_form({}) is not None)}


def all_collections() -> dict:
    """The schema of the collection path segment: every kind served by the API."""
    return {"type": "string", "enum": sorted(k.collection for k in all_kinds() if k.collection)}


def kind_or_404(collection: str) -> Kind:
    """Return the kind served under a path segment, or answer 404."""
    kind = by_collection(collection)
    if kind is None:
        raise ApiError(404, "not_found", _("There is no such list."))
    return kind


def page_json(page, serialise) -> dict:
    """Wrap a page of records with paging figures."""
    return {"items": [serialise(r) for r in page.items], "page": page.page, "pages": page.pages,
            "total": page.total}


def invalid_filters(form):
    """Refuse with 400 and the per-field errors of a filter form."""
    raise ApiError(400, "invalid_filters", _("Some filters are not valid."),
                   {k: [str(m) for m in v] for k, v in form.errors.items()})


@bp.route("/<collection>")
@operation("List records", tags=("Records",), public=True, query=ListQuery,
           responses={200: RecordList}, errors=(404, 503), path_params={"collection": listed_collections},
           description="A kind's records the caller may see, with the filters of its page; numbered pages "
                       "(`page`), or a keyset walk (`cursor`, answered as `{items, next_cursor}`).")
def records(collection: str):
    """List a kind's records the caller may see, with the filters of its page."""
    kind = kind_or_404(collection)
    form = kind.browse_form(request.args)
    if form is None:
        raise ApiError(404, "not_found", _("There is no such list."))
    form.fill_vocab()
    if not form.validate():
        return invalid_filters(form)
    filters = form.filters()
    stmt = kind.browse(filters, current_user)
    if stmt is None:
        raise ApiError(404, "not_found", _("There is no such list."))
    if "cursor" in request.args:
        return keyset_records(kind, stmt, filters)
    page = browse_page(kind.name, stmt, filters, current_user,
                       sort=request.args.get("sort"))
    data = page_json(page, lambda r: kind.serialise(r, current_user))
    if page.relevance is not None:
        for item, record in zip(data["items"], page.items, strict=True):
            match = page.relevance[record.id]
            item["relevance"], item["label"] = round(match.relevance, 3), match.label.code
    return jsonify(data)


@bp.route("/<collection>/<int:record_id>")
@operation("Get a record", tags=("Records",), public=True, responses={200: Record}, errors=(404,),
           path_params={"collection": all_collections})
def record(collection: str, record_id: int):
    """Return one record the caller may read (404 when missing; the kind's refusal when hidden)."""
    kind = kind_or_404(collection)
    found = db.session.get(kind.model, record_id)
    if found is None:
        raise ApiError(404, "not_found", _("We could not find that record."))
    if not kind.is_visible_to(found, current_user):
        if kind.hidden_status == 404:
            raise ApiError(404, "not_found", _("We could not find that record."))
        raise ApiError(kind.hidden_status, "forbidden", _("You do not have permission to do that."))
    return jsonify(kind.serialise(found, current_user))


def keyset_records(kind: Kind, stmt, filters: dict):
    """Answer one keyset page of a list (newest first) with the cursor of the next, or 400 for a bad cursor."""
    if filters.get("q") or request.args.get("sort"):
        raise ApiError(400, "invalid_cursor", _("A cursor walks the newest-first list; leave out q and sort."))
    limit = min(max(request.args.get("limit", 20, type=int) or 20, 1), 50)
    try:
        page = keyset_page(kind.collection, stmt, kind.model, request.args["cursor"], limit, kind.loads())
    except InvalidCursor:
        raise ApiError(400, "invalid_cursor", _("This cursor is not valid for this list.")) from None
    return jsonify({"items": [kind.serialise(r, current_user) for r in page.items], "next_cursor": page.next_cursor})


def match_json(match) -> dict:
    """Serialise a search match with its calibrated relevance (0–1), its label and the reasons it matched."""
    record = match.record
    data = {"kind": match.kind, "id": record.id, **get_kind(match.kind).brief(record, current_user),
            "relevance": round(match.relevance, 3), "label": match.label.code, "label_text": str(match.label.text),
            "reasons": {"shared_terms": match.key_terms, "same_scenario": match.same_scenario,
                        "same_industry": match.same_industry, "same_city": match.same_city,
                        "deployment_fit": match.deployment_fit, "budget_fit": match.budget_fit}}
    return data


@bp.route("/search")
@operation("Search", tags=("Search",), public=True, query=SearchQuery, responses={200: SearchAnswer}, errors=(503,),
           description="Search every kind with the filters of /search; each result carries its calibrated "
                       "relevance and the reasons it matched, and `no_good_match` says when nothing fits.")
def search_api():
    """Search every kind with the same filters as /search; each item carries its reasons."""
    from marketplace.matching.forms import SearchForm
    from marketplace.matching.services import search, with_cards

    form = SearchForm(request.args)
    form.fill_vocab()
    if not form.validate():
        return invalid_filters(form)
    query = (form.q.data or "").strip()
    if not query:
        raise ApiError(400, "missing_query", _("Give the search text in the q parameter."))
    limit = min(max(request.args.get("limit", 20, type=int) or 20, 1), 50)
    results = search(query, form.filters(), current_user, cards=False)
    page = ListPage(results.matches, page_number(), limit)
    with_cards(page.items)
    return jsonify({"query": query, "items": [match_json(m) for m in page.items], "total": page.total,
                    "page": page.page, "pages": page.pages, "no_good_match": not results.matches,
                    "predicted_scenarios": [code for code, _p in results.predicted]})


@bp.route("/me")
@operation("Who am I", tags=("Account",), responses={200: Me},
           description="The caller: user, organisation (with its verification) and the token's name and scopes.")
def me():
    """Describe the caller."""
    from flask import g

    user = current_user
    org = user.organisation
    token = g.get("api_token")
    return jsonify({"id": user.id, "email": user.email, "name": user.name, "role": user.role,
                    "locale": user.locale,
                    "organisation": None if org is None else {"id": org.id, "name": org.name, "kind": org.kind,
                                                              "city": org.city, "verified": org.is_verified},
                    "token": None if token is None else {"id": token.id, "name": token.name,
                                                         "scopes": token.scope_list}})
