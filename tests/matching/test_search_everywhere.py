"""One search engine behind every box: browse keywords, tabs, the relevance floor, "nothing fits", sorting, paging."""
from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.needs.models import Need
from tests.matching.test_matching_app import login

OUT_OF_DOMAIN = ("宠物狗粮 猫砂", "红烧肉的家常做法", "深圳南山二手房 学区房 价格", "cheap flights to Bali in August")


def ids_on(html: str, path: str) -> list[int]:
    """The record ids linked as `path<id>` in a page, in order."""
    return [int(pk) for pk in re.findall(re.escape(path) + r'(\d+)"', html)]


def visual_inspection_offerings(seeded) -> set[int]:
    """The published offerings whose scenarios include the visual-inspection scenario."""
    with seeded.app.app_context():
        offerings = db.session.scalars(select(Offering).where(Offering.state == "published")).all()
        return {o.id for o in offerings if set(o.scenarios) & VISUAL}


VISUAL = {"online_inspection", "visual_inspection"}


def test_the_offerings_keyword_box_finds_visual_inspection(seeded):
    """`/offerings?q=视觉质检` (the box's own example) lists visual-inspection offerings, ranked, with a label."""
    client = seeded.app.test_client()
    wanted = visual_inspection_offerings(seeded)
    for query in ("视觉质检", "视觉质检 AOI", "AOI复判"):
        html = client.get("/offerings", query_string={"q": query}).get_data(as_text=True)
        found = ids_on(html, "/offerings/")
        assert found, f"{query!r} found nothing"
        assert found[0] in wanted, f"{query!r}: the first result is not a visual-inspection offering"
        assert 'class="relevance relevance-' in html


def test_the_api_lists_rank_with_the_engine(seeded):
    """`/api/v1/offerings?q=视觉质检` finds the visual-inspection offerings, each with its relevance."""
    body = seeded.app.test_client().get("/api/v1/offerings", query_string={"q": "视觉质检"}).get_json()
    assert body["total"] > 0 and body["items"][0]["id"] in visual_inspection_offerings(seeded)
    assert 0 < body["items"][0]["relevance"] <= 1 and body["items"][0]["label"] in ("high", "related", "possible")


def test_models_and_needs_keyword_boxes_use_the_engine(seeded):
    """The models and needs pages find records by meaning, not by a literal substring of one column."""
    client = seeded.app.test_client()
    models = client.get("/models", query_string={"q": "视觉质检"}).get_data(as_text=True)
    assert ids_on(models, "/models/")
    needs = client.get("/needs/", query_string={"q": "设备振动 预测性维护"}).get_data(as_text=True)
    assert ids_on(needs, "/needs/")


def test_out_of_domain_queries_say_nothing_fits(seeded):
    """Pets, cooking, real estate, travel: the page says nothing fits and the API answers an empty list."""
    client = seeded.app.test_client()
    for query in OUT_OF_DOMAIN:
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert 'class="no-match"' in html and 'class="listing-card match' not in html, query
        body = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert body["items"] == [] and body["no_good_match"] is True and body["total"] == 0, query


def test_a_need_is_never_a_result_of_solution_search(seeded):
    """Visitors and SMEs search solutions by default; a need's own title finds no need there."""
    with seeded.app.app_context():
        need = db.session.scalars(select(Need).where(Need.visibility == "public", Need.status == "open")).first()
        title = need.title
    visitor = seeded.app.test_client()
    html = visitor.get("/search", query_string={"q": title}).get_data(as_text=True)
    assert 'data-kind="need"' not in html
    api = visitor.get("/api/v1/search", query_string={"q": title}).get_json()
    assert all(item["kind"] != "need" for item in api["items"])
    sme = seeded.app.test_client()
    login(sme, "enterprise")
    assert 'data-kind="need"' not in sme.get("/search", query_string={"q": title}).get_data(as_text=True)
    needs_tab = visitor.get("/search", query_string={"q": title, "kind": "needs"}).get_data(as_text=True)
    assert f"/needs/{need.id}\"" in needs_tab


def test_vendors_search_the_needs_by_default(seeded):
    """A vendor looks for leads: without a tab chosen, the search lists needs."""
    vendor = seeded.app.test_client()
    login(vendor, "vendor")
    html = vendor.get("/search", query_string={"q": "注塑件 表面缺陷 视觉检测"}).get_data(as_text=True)
    assert 'data-kind="need"' in html and 'data-kind="offering"' not in html


def test_search_results_are_paged_and_counted(seeded):
    """The count is the number of good matches, and the second page is reachable."""
    client = seeded.app.test_client()
    body = client.get("/api/v1/search", query_string={"q": "视觉检测 缺陷", "limit": 5}).get_json()
    assert body["total"] > 5 and body["pages"] >= 2
    second = client.get("/api/v1/search", query_string={"q": "视觉检测 缺陷", "limit": 5, "page": 2}).get_json()
    first_ids = {(i["kind"], i["id"]) for i in body["items"]}
    assert second["page"] == 2 and not first_ids & {(i["kind"], i["id"]) for i in second["items"]}
    relevances = [i["relevance"] for i in body["items"] + second["items"]]
    assert relevances == sorted(relevances, reverse=True)
    html = client.get("/search", query_string={"q": "视觉检测 缺陷"}).get_data(as_text=True)
    assert 'aria-current="page"' in html and "page=2" in html


def test_a_price_range_upside_down_gets_a_message(seeded):
    """A minimum price above the maximum says so beside the field instead of silently listing nothing."""
    html = seeded.app.test_client().get("/offerings", query_string={"price_min": "50000", "price_max": "1000"})
    text = html.get_data(as_text=True)
    assert "最高价格低于最低价格" in text or "The highest price is below the lowest price" in text
    assert ids_on(text, "/offerings/"), "the other filters still list offerings"


def test_browse_pages_sort_by_price_and_newest(seeded):
    """Without a keyword the supermarket sorts by price either way."""
    client = seeded.app.test_client()
    cheap_first = ids_on(client.get("/offerings", query_string={"sort": "price_asc"}).get_data(as_text=True),
                         "/offerings/")
    dear_first = ids_on(client.get("/offerings", query_string={"sort": "price_desc"}).get_data(as_text=True),
                        "/offerings/")
    with seeded.app.app_context():
        prices = dict(db.session.execute(select(Offering.id, Offering.price_fen)).all())
    assert [prices[i] for i in cheap_first] == sorted(prices[i] for i in cheap_first)
    assert [prices[i] for i in dear_first] == sorted((prices[i] for i in dear_first), reverse=True)
    assert prices[cheap_first[0]] < prices[dear_first[0]]


def test_stuffing_a_need_with_one_phrase_does_not_pay(seeded):
    """A need repeating one phrase 300 times ranks no better than the same need saying it once, for the phrase
    and for a typo of it, and does not outrank the genuine needs about it."""
    from marketplace.accounts.models import Organisation
    from tests.factories import make_need

    phrase = "注塑件表面划痕检测"
    with seeded.app.app_context():
        org = db.session.scalars(select(Organisation).where(Organisation.kind == "enterprise")).first()
        scenario = db.session.scalars(select(Need.scenario)).first()
        said_once = make_need(org, title="求助：外观检测", description=phrase + "，人工目检漏检多。", scenario=scenario).id
        stuffed = make_need(org, title="求助：外观检测", description=(phrase + "，人工目检漏检多。") * 300,
                            scenario=scenario).id
    try:
        client = seeded.app.test_client()
        for query in (phrase, "注塑件表面花痕检测"):
            items = client.get("/api/v1/search", query_string={"q": query, "kind": "needs", "limit": 50}).get_json()
            relevance = {item["id"]: item["relevance"] for item in items["items"]}
            order = [item["id"] for item in items["items"]]
            assert stuffed in relevance and said_once in relevance, query
            assert relevance[stuffed] <= relevance[said_once] + 0.01, query
            assert order.index(stuffed) >= order.index(said_once) - 1, query
    finally:
        with seeded.app.app_context():
            for pk in (said_once, stuffed):
                db.session.delete(db.session.get(Need, pk))
            db.session.commit()


def bound_ids(log, table: str) -> list[int]:
    """The record ids bound by the statements that read from `table` (SQLite binds each id as a parameter)."""
    found: list[int] = []
    for statement, parameters in zip(log.statements, log.parameters, strict=True):
        if f"FROM {table}" in statement:
            found += [p for p in (parameters or ()) if isinstance(p, int)]
    return found


def test_a_search_page_reads_the_cards_of_the_matches_it_shows_only(seeded):
    """Every good match is explained and counted, but a card's models and catalogue entries are read for the page
    shown, in one query each, not for every match."""
    from tests.perf_helpers import count_statements

    client = seeded.app.test_client()
    query = {"q": "视觉检测 缺陷", "kind": "offering", "lang": "en"}
    total = client.get("/api/v1/search", query_string={**query, "limit": 1}).get_json()["total"]
    assert total > 10
    for path in ("/search", "/offerings", "/api/v1/search"):
        with count_statements(seeded.app) as log:
            response = client.get(path, query_string={**query, "limit": 10})
        assert response.status_code == 200
        shown = set(ids_on(response.get_data(as_text=True), "/offerings/")) if path != "/api/v1/search" else \
            {item["id"] for item in response.get_json()["items"]}
        assert 0 < len(shown) < total, path
        for table in ("offering_model", "catalogue_entry"):
            assert sorted(bound_ids(log, table)) == sorted(shown), (path, table, log)
