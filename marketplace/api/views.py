"""JSON API v1 views: lists with the same filters as the pages, and single records."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from marketplace.api import bp
from marketplace.catalog.forms import BrowseForm
from marketplace.catalog.models import IndustrialModel, Offering, ProviderProfile
from marketplace.catalog.services import browse_listings, can_view
from marketplace.errors import render_error
from marketplace.extensions import csrf, db
from marketplace.needs.forms import NeedBrowseForm
from marketplace.needs.models import Need
from marketplace.needs.services import browse_needs, can_view_need, shows_owner
from marketplace.web import paginate

csrf.exempt(bp)


def listing_json(listing) -> dict:
    """Serialise a listing's public fields."""
    data = {"id": listing.id, "title": listing.title, "state": listing.state, "industries": listing.industries,
            "scenarios": listing.scenarios, "organisation": listing.organisation.name,
            "summary": listing.summary}
    if isinstance(listing, Offering):
        data.update(price_fen=listing.price_fen, pricing_plan=listing.pricing_plan,
                    voucher_eligible=listing.voucher_eligible, deployments=listing.deployments,
                    delivery_days=listing.delivery_days, model_ids=[m.id for m in listing.models])
    if isinstance(listing, IndustrialModel):
        data.update(kind=listing.kind, version=listing.version, deployments=listing.deployments,
                    evaluations=[{"metric": e.metric, "value": e.value, "dataset": e.dataset,
                                  "evaluator": e.evaluator, "third_party": e.third_party}
                                 for e in listing.evaluations])
    if isinstance(listing, ProviderProfile):
        data.update(provider_type=listing.provider_type, cities_served=listing.cities_served)
    return data


def need_json(need: Need) -> dict:
    """Serialise a need, hiding the SME's name where the viewer may not see it."""
    return {"id": need.id, "title": need.title, "description": need.description, "industry": need.industry,
            "scenario": need.scenario, "city": need.city, "deployment": need.deployment,
            "budget_min_fen": need.budget_min_fen, "budget_max_fen": need.budget_max_fen,
            "deadline": need.deadline.isoformat() if need.deadline else None, "status": need.status,
            "visibility": need.visibility,
            "organisation": need.organisation.name if shows_owner(need, current_user) else None}


def page_json(page, serialise) -> dict:
    """Wrap a page of records with paging figures."""
    return {"items": [serialise(r) for r in page.items], "page": page.page, "pages": page.pages,
            "total": page.total}


def invalid_filters(form):
    """Answer 400 with the per-field errors of a filter form."""
    return jsonify(error={"code": "invalid_filters", "message": "Some filters are not valid.",
                          "fields": {k: [str(m) for m in v] for k, v in form.errors.items()}}), 400


KINDS = {"offerings": ("offering", Offering), "models": ("model", IndustrialModel),
         "providers": ("provider", ProviderProfile)}


@bp.route("/<any(offerings, models, providers):kind>")
def listings(kind: str):
    """List published listings of one kind with filters."""
    form = BrowseForm(request.args)
    form.fill_vocab()
    if not form.validate():
        return invalid_filters(form)
    return jsonify(page_json(paginate(browse_listings(KINDS[kind][0], form.filters())), listing_json))


@bp.route("/<any(offerings, models, providers):kind>/<int:listing_id>")
def listing(kind: str, listing_id: int):
    """Return one listing."""
    record = db.session.get(KINDS[kind][1], listing_id)
    if record is None or not can_view(record, current_user):
        return render_error(404)
    return jsonify(listing_json(record))


@bp.route("/needs")
def needs():
    """List visible needs with filters."""
    form = NeedBrowseForm(request.args)
    form.fill_vocab()
    if not form.validate():
        return invalid_filters(form)
    return jsonify(page_json(paginate(browse_needs(form.filters(), current_user)), need_json))


@bp.route("/needs/<int:need_id>")
def need(need_id: int):
    """Return one need the caller may see."""
    record = db.session.get(Need, need_id)
    if record is None:
        return render_error(404)
    if not can_view_need(record, current_user):
        return render_error(403)
    return jsonify(need_json(record))


def match_json(match) -> dict:
    """Serialise a search match with the reasons it matched."""
    record = match.record
    title = getattr(record, "title", None)
    data = {"kind": match.kind, "id": record.id, "title": title, "relevance": match.percent,
            "reasons": {"shared_terms": match.key_terms, "same_scenario": match.same_scenario,
                        "same_industry": match.same_industry, "same_city": match.same_city,
                        "deployment_fit": match.deployment_fit, "budget_fit": match.budget_fit}}
    if match.kind == "need":
        data["organisation"] = record.organisation.name if shows_owner(record, current_user) else None
    return data


@bp.route("/search")
def search_api():
    """Search every kind with the same filters as /search; each item carries its reasons."""
    from marketplace.matching.forms import SearchForm
    from marketplace.matching.services import search

    form = SearchForm(request.args)
    form.fill_vocab()
    if not form.validate():
        return invalid_filters(form)
    query = (form.q.data or "").strip()
    if not query:
        return jsonify(error={"code": "missing_query", "message": "Give the search text in the q parameter."}), 400
    limit = min(max(request.args.get("limit", 20, type=int) or 20, 1), 50)
    return jsonify({"query": query, "items": [match_json(m) for m in search(query, form.filters(), current_user,
                                                                             k=limit)]})
