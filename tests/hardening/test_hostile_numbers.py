"""Are ids, page numbers and typed numbers outside what the database holds refused with a 4xx, never a 500?"""
from __future__ import annotations

import pytest

from marketplace.converters import BoundedIntConverter
from marketplace.extensions import db
from tests.factories import make_case, make_offering, make_user

NON_FINITE = ["1e999999", "Infinity", "-Infinity", "NaN", "sNaN", "9" * 40, "1" * 5000]


def test_every_int_path_variable_uses_the_bounded_converter(app):
    """No rule of the app uses werkzeug's unbounded int converter."""
    rules = [(rule.rule, type(conv)) for rule in app.url_map.iter_rules() for conv in rule._converters.values()
             if "int" in type(conv).__name__.lower() or isinstance(conv, BoundedIntConverter)]
    assert rules and all(kind is BoundedIntConverter for _rule, kind in rules), rules


@pytest.mark.parametrize("url", ["/orders/99999999999999999999", "/offerings/2147483648", "/needs/0",
                                 "/cases/collection/99999999999999999999.pdf", "/proposals/4294967296"])
def test_ids_beyond_the_integer_range_are_404(client, auth, url):
    """An id of 0 or from 2³¹ up is no route (404), on any database."""
    auth.as_role("enterprise")
    assert client.get(url).status_code == 404


def test_api_ids_beyond_the_integer_range_are_a_json_404(client):
    """The API answers an over-range id with a JSON not_found error."""
    response = client.get("/api/v1/offerings/2147483648")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "1e9", "NaN"])
def test_page_numbers_are_clamped(client, page):
    """A page number out of range shows an (empty) page instead of overflowing the database offset."""
    for url in ("/offerings", "/needs/", "/cases/", "/api/v1/offerings"):
        assert client.get(url, query_string={"page": page}).status_code == 200, url


@pytest.mark.parametrize("price", NON_FINITE)
def test_an_offering_price_that_is_not_a_finite_amount_is_refused_with_the_input_kept(app, client, auth, price):
    """Non-finite or huge prices re-render the offering form with a message in the user's language (422)."""
    auth.as_role("vendor")
    client.get("/lang/en")
    response = client.post("/offerings/new", data={"title": "视觉检测", "summary": "s", "description": "d",
                                                   "pricing_plan": "one_off", "price": price, "delivery_days": "30",
                                                   "deployments": ["edge"], "industries": ["electronics"],
                                                   "scenarios": ["online_inspection"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter an amount in yuan" in page or "The amount is too large." in page
    if len(price) < 100:
        assert f'value="{price}"' in page


@pytest.mark.parametrize("value", NON_FINITE + ["12.34567"])
def test_case_results_must_be_finite_numbers_the_column_holds(app, client, auth, value):
    """A measured result of Infinity, NaN or too many digits re-renders the case form (422), nothing saved."""
    auth.as_role("center")
    client.get("/lang/en")
    response = client.post("/cases/new", data={
        "title": "陶瓷砖面缺陷检测", "enterprise_name": "佛山某陶瓷企业", "industry": "ceramics_building",
        "scenario": "online_inspection", "problem": "漏检", "solution": "视觉检测", "year": "2025",
        "results-0-indicator": "漏检率", "results-0-before": "3.2", "results-0-after": value,
        "results-0-unit": "%", "results-0-better": "lower"})
    assert response.status_code == 422
    assert "Enter a number such as 3.2" in response.get_data(as_text=True)
    with app.app_context():
        from marketplace.cases.models import Case

        assert db.session.query(Case).count() == 0


@pytest.mark.parametrize("field,value", [("year", "99999999999999999999"), ("year", "1e4"), ("year", "NaN"),
                                         ("amount", "Infinity"), ("amount", "1e999999")])
def test_the_subsidy_estimator_refuses_hostile_numbers(client, auth, field, value):
    """The estimator answers hostile numbers with a message, not a 500."""
    auth.as_role("enterprise")
    args = {"amount": "100000", "kind": "model_service", "year": "2026", field: value}
    response = client.get("/policy/estimate", query_string=args)
    assert response.status_code == 422
    assert f'id="{field}-err"' in response.get_data(as_text=True)


@pytest.mark.parametrize("share", ["1e999999", "Infinity", "NaN", "sNaN", "101", "-5"])
def test_agreement_shares_must_be_plain_percentages(app, client, auth, share):
    """A share of Infinity or 1e999999 re-renders the agreement form (422) instead of overflowing."""
    who = auth.as_role("vendor")
    with app.app_context():
        sme = make_user("enterprise")
        from marketplace.accounts.models import Organisation

        make_offering(db.session.get(Organisation, who.org_id))
        sme_org = sme.organisation_id
    response = client.post("/resonance/new", data={
        "title": "分成协议", "agent_description": "智能体", "data_description": "数据",
        "parties-0-organisation_id": str(who.org_id), "parties-0-role": "model", "parties-0-share": share,
        "parties-1-organisation_id": str(sme_org), "parties-1-role": "data", "parties-1-share": "40"})
    assert response.status_code == 422


def test_a_published_case_keeps_its_page_the_collection_and_the_pdf(app, client):
    """A case with large but valid results renders everywhere (the field refuses what would not)."""
    with app.app_context():
        from decimal import Decimal

        from marketplace.cases.models import CaseResult

        center = make_user("center").organisation
        case = make_case(center, results=[CaseResult(indicator="产能", before=Decimal("9999999999.9999"),
                                                     after=Decimal("-9999999999.9999"), unit="件", better="higher")])
        case_id, year = case.id, case.year
    for url in (f"/cases/{case_id}", f"/cases/collection/{year}", f"/cases/collection/{year}.pdf"):
        assert client.get(url).status_code == 200, url
