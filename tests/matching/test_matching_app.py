"""Matching through the app: needs find their solutions, edits reach the index at once, search explains."""
from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.matching.documents import doc_id
from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD


def login(client, role: str):
    """Sign in as a demo account."""
    response = client.post("/accounts/login", data={"email": DEMO_ACCOUNTS[role], "password": DEMO_PASSWORD})
    assert response.status_code == 302


def offering_id(seeded, key: str) -> int:
    """Return the database id of a seeded offering."""
    kind, pk = seeded.ids[key]
    assert kind == "Offering"
    return pk


def test_need_about_a_specific_defect_surfaces_the_matching_offering(seeded):
    """An SME's need about AOI false calls on an SMT line ranks the AOI re-judging offering in the top 5."""
    client = seeded.app.test_client()
    login(client, "enterprise")
    need = {"title": "SMT 贴片线 AOI 误报太多，想用 AI 复判", "industry": "electronics",
            "scenario": "online_inspection", "city": "dongguan", "visibility": "public",
            "description": "我们两条 SMT 线做手机主板，炉后 AOI 每天报几千个假点，0402 元件立碑、少锡、连锡都要人工复判，"
                           "复判员一个班要看上万张图，想上一个 AI 复判把误报降下来。"}
    response = client.post("/needs/new", data=need)
    assert response.status_code == 302
    need_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    fragment = client.get(f"/needs/{need_id}/solutions").get_data(as_text=True)
    offerings = fragment.split("<h3 class=\"sub\">")[1]
    top5 = offerings.split("<article")[1:6]
    wanted = {offering_id(seeded, k) for k in ("oa_jingmu_aoi_box", "oa_jingmu_aoi_cloud")}
    assert any(f"/offerings/{pk}\"" in card for card in top5 for pk in wanted), offerings[:3000]
    assert "✓" in fragment and "<mark>" in fragment


def test_delisting_removes_an_offering_from_search_at_once(seeded):
    """A delisted offering disappears from search results on the very next query; republishing restores it."""
    client = seeded.app.test_client()
    with seeded.app.app_context():
        pk = offering_id(seeded, "oa_jingmu_aoi_box")
        offering = db.session.get(Offering, pk)
        owner = db.session.scalar(select(User).where(User.organisation_id == offering.organisation_id))
        title, email = offering.title, owner.email
    url = "/search?q=SMT+AOI+误报+复判&kind=offering"
    assert f"/offerings/{pk}\"" in client.get(url).get_data(as_text=True)
    client.post("/accounts/login", data={"email": email, "password": DEMO_PASSWORD})
    assert client.post(f"/listings/offering/{pk}/delist").status_code == 302
    assert f"/offerings/{pk}\"" not in client.get(url).get_data(as_text=True)
    with seeded.app.app_context():
        assert doc_id("offering", pk) not in seeded.app.extensions["matching"].index()
    client.post(f"/listings/offering/{pk}/publish")
    assert f"/offerings/{pk}\"" in client.get(url).get_data(as_text=True)
    assert title


def test_editing_an_offering_is_searchable_immediately(seeded):
    """An edited title is found by its new words on the next search, without a rebuild."""
    with seeded.app.app_context():
        pk = offering_id(seeded, "oa_jingmu_aoi_cloud")
        offering = db.session.get(Offering, pk)
        old = offering.title
        version = seeded.app.extensions["matching"].index().version
        offering.title = "量子猫眼 QX-9000 复判云"
        db.session.commit()
        try:
            index = seeded.app.extensions["matching"].index()
            hits = index.search("量子猫眼 QX-9000", k=3)
            assert hits and hits[0].doc_id == doc_id("offering", pk)
            assert index.version > version
        finally:
            offering = db.session.get(Offering, pk)
            offering.title = old
            db.session.commit()


def test_search_page_explains_and_filters(seeded):
    """Search results carry highlighted terms and reasons; filters narrow kinds, cities and budget."""
    client = seeded.app.test_client()
    page = client.get("/search?q=空压机+节能").get_data(as_text=True)
    assert "<mark>" in page and 'class="relevance relevance-' in page
    only_cases = client.get("/search?q=空压机+节能&kind=case").get_data(as_text=True)
    assert 'data-kind="case"' in only_cases and 'data-kind="offering"' not in only_cases
    cheap = client.get("/search?q=视觉检测&kind=offering&budget=50000").get_data(as_text=True)
    with seeded.app.app_context():
        expensive = db.session.scalars(select(Offering.id).where(Offering.price_fen > 5_000_000)).all()
    assert 'data-kind="offering"' in cheap and expensive
    assert not any(f"/offerings/{pk}\"" in cheap for pk in expensive)


def test_search_handles_mixed_and_english_queries(seeded):
    """Mixed Chinese/English and English-only queries find relevant listings."""
    client = seeded.app.test_client()
    mixed = client.get("/search?q=FANUC+0i-MF+报警+维修").get_data(as_text=True)
    results = mixed.split('class="listing-card match')[1:]
    assert any("FANUC" in card for card in results[:5]), "no FANUC listing among the first results"
    english = client.get("/search?q=predictive+maintenance+for+CNC+spindle+vibration").get_data(as_text=True)
    assert 'class="listing-card match' in english


def test_htmx_search_returns_the_results_fragment(seeded):
    """Typing in the box asks for #results only; the fragment has no page chrome."""
    client = seeded.app.test_client()
    response = client.get("/search?q=排产", headers={"HX-Request": "true", "HX-Target": "results"})
    page = response.get_data(as_text=True)
    assert "<html" not in page and "listing-card match" in page


def test_vendor_sees_leads_others_do_not(seeded):
    """An offering's page shows matching needs to its vendor only; everyone sees similar solutions."""
    with seeded.app.app_context():
        pk = offering_id(seeded, "oa_jingmu_aoi_box")
        offering = db.session.get(Offering, pk)
        email = db.session.scalar(select(User.email).where(User.organisation_id == offering.organisation_id))
    visitor = seeded.app.test_client().get(f"/listings/offering/{pk}/matches").get_data(as_text=True)
    assert 'data-kind="offering"' in visitor and 'data-kind="need"' not in visitor
    vendor = seeded.app.test_client()
    vendor.post("/accounts/login", data={"email": email, "password": DEMO_PASSWORD})
    page = vendor.get(f"/listings/offering/{pk}/matches").get_data(as_text=True)
    assert 'data-kind="need"' in page


def test_registered_only_needs_are_not_searchable_by_visitors(seeded):
    """A visitor's search never returns a registered-only need."""
    from marketplace.needs.models import Need

    with seeded.app.app_context():
        hidden = db.session.scalars(select(Need).where(Need.visibility == "registered")).first()
        title = hidden.title
    page = seeded.app.test_client().get("/search", query_string={"q": title, "kind": "need"}).get_data(as_text=True)
    assert f"/needs/{hidden.id}\"" not in page


def test_search_api_answers_with_reasons_and_machine_readable_errors(seeded):
    """The JSON search returns ranked items with reasons; a missing query or bad filter is a 400 with a code."""
    client = seeded.app.test_client()
    body = client.get("/api/v1/search?q=空压站节能&limit=5").get_json()
    assert len(body["items"]) == 5 and {"kind", "id", "relevance", "reasons"} <= set(body["items"][0])
    assert body["items"][0]["relevance"] >= body["items"][-1]["relevance"]
    assert client.get("/api/v1/search").get_json()["error"]["code"] == "missing_query"
    bad = client.get("/api/v1/search?q=x&budget=abc")
    assert bad.status_code == 400 and "budget" in bad.get_json()["error"]["fields"]


def test_need_form_suggests_online_inspection_for_a_scratch_inspection_text(seeded):
    """As an SME types a need about scratches missed by manual inspection, does the form's suggestion block offer
    在线智能检测 (a button that chooses it in the scenario select), and nothing for a two-character text?"""
    client = seeded.app.test_client()
    login(client, "enterprise")
    form = client.get("/needs/new").get_data(as_text=True)
    assert 'hx-post="/needs/scenario-suggestions"' in form and 'hx-target="#scenario-suggestions"' in form
    assert 'hx-trigger="input changed delay:600ms"' in form and 'id="scenario-suggestions"' in form
    typed = {"title": "注塑件表面划痕检测", "description": "人工目检漏检多", "scenario": ""}
    response = client.post("/needs/scenario-suggestions", data=typed, headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    buttons = re.findall(r'<button type="button" class="chip suggestion" data-pick="scenario" data-value="(\w+)"',
                         fragment)
    assert "online_inspection" in buttons and 1 <= len(buttons) <= 3, fragment
    assert "在线智能检测" in fragment
    short = client.post("/needs/scenario-suggestions", data={"title": "划痕"}).get_data(as_text=True)
    assert "data-value" not in short


def test_search_result_cards_show_the_picture_and_rating(seeded):
    """Does a search result for a reviewed offering carry its picture and rating, as its list card does?"""
    from marketplace.catalog.models import Offering
    from marketplace.reviews.models import Review

    with seeded.app.app_context():
        reviewed = db.session.scalar(db.select(Offering).join(Review, Review.offering_id == Offering.id)
                                     .where(Review.hidden.is_(False)).limit(1))
        assert reviewed is not None, "the demo data has a reviewed offering"
        title, offering_id = reviewed.title, reviewed.id
    page = seeded.app.test_client().get("/search", query_string={"q": title, "kind": "offering"})
    card = next(c for c in re.findall(r"<article.*?</article>", page.get_data(as_text=True), re.S)
                if f'href="/offerings/{offering_id}"' in c)
    assert 'class="listing-card match with-pic"' in card and 'class="pic ' in card
    assert 'class="rating"' in card
