"""Is every case result's change computed from its indicator's direction and shown one way — pages, cards, the
case list, the API — so a seeded reduction and a curated increase read alike ("down 59.5%", both improvements)?"""
from __future__ import annotations

import re
from decimal import Decimal

from marketplace.cases.models import CaseResult
from marketplace.cases.results import BETTER, SAME, UNKNOWN, WORSE
from marketplace.metrics import Better, direction_of
from seed.loader import read_data
from tests.factories import make_case, make_user


def seeded_like_case(app) -> int:
    """A public case with a seeded result (no stored direction) and a curated one (direction chosen)."""
    with app.app_context():
        center = make_user("center").organisation
        case = make_case(center, title="表面缺陷检测改造", results=[
            CaseResult(indicator="表面缺陷漏检率", before=Decimal("2.8"), after=Decimal("1.134"), unit="%"),
            CaseResult(indicator="良率", before=Decimal("84.2"), after=Decimal("93.4"), unit="%", better="higher")])
        return case.id


def changes_in(page: str) -> list[tuple[str, str]]:
    """Return each shown change as (tone, words)."""
    return [(tone, words.strip()) for tone, words in
            re.findall(r'<span class="change change-(\w+)"[^>]*>([^<]*)', page)]


def test_a_result_without_a_stored_direction_takes_it_from_the_indicator_name(app):
    """Does a seeded 漏检率 fall (no direction stored) count as an improvement, as a curated one does?"""
    result = CaseResult(indicator="表面缺陷漏检率", before=Decimal("2.8"), after=Decimal("1.134"), unit="%")
    assert result.direction is Better.LOWER and result.improvement_percent == Decimal("59.5")
    with app.test_request_context("/?lang=en"):
        assert (result.change.text, result.change.tone) == ("down 59.5%", BETTER)


def test_a_rise_of_a_lower_is_better_indicator_is_a_worsening(app):
    """Is a miss rate that went up shown as a rise and marked a worsening, and a curator's choice kept?"""
    with app.test_request_context("/?lang=en"):
        worse = CaseResult(indicator="漏检率", before=Decimal("2"), after=Decimal("3"), unit="%").change
        assert (worse.text, worse.tone, worse.percent) == ("up 50.0%", WORSE, Decimal("50.0"))
        chosen = CaseResult(indicator="管网供气压力", before=Decimal("0.72"), after=Decimal("0.63"), unit="MPa",
                            better="lower").change
        assert (chosen.text, chosen.tone) == ("down 12.5%", BETTER)
        unknown = CaseResult(indicator="管网供气压力", before=Decimal("0.72"), after=Decimal("0.63"), unit="MPa").change
        assert unknown.tone == UNKNOWN and unknown.tone_text == ""
        same = CaseResult(indicator="良率", before=Decimal("90"), after=Decimal("90"), unit="%").change
        assert (same.text, same.tone) == ("unchanged", SAME)


def test_every_seeded_case_result_has_a_direction_and_improved():
    """Does each seeded result say (by name or by its `better`) which way is better, and is each an improvement?"""
    for case in read_data()["cases"]:
        for r in case.get("results", []):
            direction = Better(r["better"]) if r.get("better") else direction_of(r["indicator"])
            assert direction is not None, r["indicator"]
            assert (r["after"] < r["before"]) == (direction is Better.LOWER), r["indicator"]


def test_case_page_shows_a_seeded_fall_and_a_curated_rise_the_same_way(app, client):
    """Does the case page show "down 59.5%" and "up 10.9%" both as improvements, with no signed numbers?"""
    case_id = seeded_like_case(app)
    page = client.get(f"/cases/{case_id}?lang=en").get_data(as_text=True)
    assert changes_in(page) == [(BETTER, "down 59.5%"), (BETTER, "up 10.9%")]
    assert "-59.5%" not in page and "+10.9%" not in page
    assert "(improvement)" in page


def test_case_list_and_search_cards_show_the_change(app, client):
    """Do the case list and the search's case card show each result's change with its tone?"""
    seeded_like_case(app)
    listed = client.get("/cases/?lang=en").get_data(as_text=True)
    assert (BETTER, "down 59.5%") in changes_in(listed)
    with app.test_request_context("/?lang=en"):
        from flask import render_template

        from marketplace.cases.models import Case
        from marketplace.extensions import db
        from marketplace.kinds import get_kind

        case = db.session.scalar(db.select(Case))
        entry = get_kind("case")
        card = render_template(entry.card_template, record=case, entry=entry, match=None, terms=[], show_kind=False)
    assert (BETTER, "down 59.5%") in changes_in(card)


def test_api_gives_each_result_its_direction_and_change(app, client):
    """Does the JSON API return the direction, the change in words and its tone with each result?"""
    case_id = seeded_like_case(app)
    body = client.get(f"/api/v1/cases/{case_id}", headers={"Accept-Language": "en"}).get_json()
    first = body["results"][0]
    assert (first["better"], first["change_percent"], first["change"], first["tone"]) == \
        ("lower", 59.5, "down 59.5%", "better")


def test_collection_pdf_says_the_change_and_its_tone_in_words(app, client):
    """Does the PDF show "down 59.5%" with the word improvement (a grey printout still says which it is)?"""
    from io import BytesIO

    from pypdf import PdfReader

    seeded_like_case(app)
    response = client.get("/cases/collection/2025.pdf?lang=en")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "down 59.5%" in text and "up 10.9%" in text and "improvement" in text
    assert "-59.5%" not in text
