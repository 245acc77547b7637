"""Does the home page draw listings as the list pages do — the cover or logo (or the vendor's initials) and the
rating — from the one card template per kind (the search results: `tests/matching/test_matching_app.py`)?"""
from __future__ import annotations

import re

from marketplace.matching.browse import CardRatings
from tests.catalog.test_list_ratings import review
from tests.factories import make_case, make_model, make_need, make_offering, make_user


def card_of(page: str, href: str) -> str:
    """Return the card (article) of a page that links to href."""
    for card in re.findall(r"<article.*?</article>", page, re.S):
        if f'href="{href}"' in card:
            return card
    raise AssertionError(f"no card links to {href}")


def test_home_cards_show_the_picture_and_rating(app, client):
    """Does the home page's latest offering show its vendor's initials (no cover yet) and its ★ rating?"""
    with app.app_context():
        vendor = make_user("vendor", name="广州视衡智能科技有限公司")
        offering = make_offering(vendor.organisation, title="注塑件视觉质检")
        for rating in (5, 4):
            review(vendor, offering, rating)
        offering_id = offering.id
    card = card_of(client.get("/?lang=en").get_data(as_text=True), f"/offerings/{offering_id}")
    assert 'class="listing-card compact with-pic"' in card
    assert 'class="pic pic-initials pic-thumb pic-small" aria-hidden="true">视衡</span>' in card
    assert "★ 4.5" in card and "Rated 4.5 from 2 reviews" in card


def test_card_ratings_are_per_kind_and_a_model_says_it_is_the_providers(app):
    """Does a page's set of ratings give an offering its own rating, a model its vendor's (marked as such), and
    nothing to a need or a case, in one query per rated kind?"""
    with app.app_context():
        vendor = make_user("vendor")
        offering = make_offering(vendor.organisation)
        model = make_model(vendor.organisation, state="published")
        review(vendor, offering, 5)
        review(vendor, None, 3)
        need = make_need(make_user("enterprise").organisation)
        case = make_case(make_user("center").organisation)
        ratings = CardRatings([offering, model, need, case])
        assert ratings.of(offering) == (5.0, 1, False)
        assert ratings.of(model) == (4.0, 2, True)
        assert ratings.of(need) is None and ratings.of(case) is None

