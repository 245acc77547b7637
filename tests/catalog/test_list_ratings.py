"""Do list cards show the average rating and number of reviews, from shown reviews only, for a whole page at once?"""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.reviews.models import Review
from tests.factories import make_model, make_offering, make_profile, make_user
from tests.perf_helpers import count_statements


def review(vendor, offering, rating: int, hidden: bool = False) -> Review:
    """Add a review of a vendor (and an offering) by a new SME."""
    sme = make_user("enterprise")
    row = Review(reviewer_id=sme.organisation_id, author_id=sme.id, vendor_id=vendor.organisation_id,
                 offering_id=offering.id if offering else None, rating=rating, text="交付及时。", hidden=hidden)
    db.session.add(row)
    db.session.commit()
    return row


def test_an_offering_card_shows_its_average_to_one_decimal_and_its_count(app, client):
    """Ratings 5, 4 and 4 (and a hidden 1) read ★ 4.3 (3), with the sentence a screen reader reads."""
    with app.app_context():
        vendor = make_user("vendor")
        offering = make_offering(vendor.organisation, title="压铸件 X 光判级服务")
        for rating in (5, 4, 4):
            review(vendor, offering, rating)
        review(vendor, offering, 1, hidden=True)
    page = client.get("/offerings").get_data(as_text=True)
    assert "★ 4.3 <span class=\"rating-count\">(3)</span>" in page
    assert "4.3 分，共 3 条评价" in page or "Rated 4.3 from 3 reviews" in page


def test_an_unreviewed_listing_shows_no_rating(app, client):
    """Without shown reviews a card shows no stars at all (not a zero)."""
    with app.app_context():
        vendor = make_user("vendor")
        offering = make_offering(vendor.organisation)
        review(vendor, offering, 2, hidden=True)
    assert 'class="rating"' not in client.get("/offerings").get_data(as_text=True)


def test_model_and_provider_cards_show_the_vendors_rating_and_say_so(app, client):
    """A model card carries its provider's rating, labelled as the provider's; the provider card the same figure."""
    with app.app_context():
        vendor = make_user("vendor")
        offering = make_offering(vendor.organisation)
        make_model(vendor.organisation)
        make_profile(vendor.organisation)
        review(vendor, offering, 5)
        review(vendor, None, 4)
    models = client.get("/models").get_data(as_text=True)
    assert "★ 4.5" in models
    assert "服务商 4.5 分，共 2 条评价" in models or "Provider rated 4.5 from 2 reviews" in models
    assert "★ 4.5" in client.get("/providers").get_data(as_text=True)


def test_the_ratings_of_a_page_cost_one_query_whatever_its_length(app):
    """ratings_for reads a page of 2 and a page of 12 reviewed offerings in one statement each, with the right
    figures."""
    from marketplace.catalog.models import Offering
    from marketplace.matching.browse import ratings_for

    with app.app_context():
        offerings = []
        for n in range(12):
            vendor = make_user("vendor")
            offering = make_offering(vendor.organisation)
            review(vendor, offering, 1 + n % 5)
            offerings.append(offering.id)
        records = [db.session.get(Offering, i) for i in offerings]
        with count_statements(app) as few:
            small = ratings_for("offering", records[:2])
        with count_statements(app) as many:
            large = ratings_for("offering", records)
        assert few.count == many.count == 1
        assert small == {offerings[0]: (1.0, 1), offerings[1]: (2.0, 1)}
        assert len(large) == 12
