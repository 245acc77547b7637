"""Does a list page or an API list cost the same number of SQL statements whatever the number of rows it shows?"""
from __future__ import annotations

import pytest

from marketplace.extensions import db
from tests.factories import make_case, make_model, make_need, make_offering, make_org, make_profile, make_user
from tests.perf_helpers import count_statements

LIST_PAGES = ["/", "/offerings", "/models", "/providers", "/needs/", "/cases/", "/api/v1/offerings",
              "/api/v1/models", "/api/v1/providers", "/api/v1/needs"]


def fill(rows: int) -> None:
    """Create `rows` vendors each with a model, an offering of it, a profile and a review (so every list card shows a
    rating), and as many needs and cases."""
    from marketplace.reviews.models import Review

    center = make_org("center")
    reviewer = make_user("enterprise", commit=False)
    for _ in range(rows):
        vendor = make_org("vendor")
        model = make_model(vendor, commit=False)
        offering = make_offering(vendor, commit=False, models=[model])
        make_profile(vendor, commit=False)
        make_need(make_org("enterprise"), commit=False)
        make_case(center, commit=False)
        db.session.add(Review(reviewer_id=reviewer.organisation_id, author_id=reviewer.id, vendor_id=vendor.id,
                              offering_id=offering.id, rating=4, text="交付及时。"))
    db.session.commit()


def statements_per_page(app, client) -> dict[str, int]:
    """Count the statements each list page sends."""
    counts = {}
    for path in LIST_PAGES:
        with count_statements(app) as log:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = log.count
    return counts


@pytest.mark.parametrize("role", [None, "vendor", "enterprise"])
def test_a_page_of_twenty_costs_the_same_statements_as_a_page_of_two(app, client, auth, role):
    """Cards and serialisers read organisations, logos, covers, models, evaluations, versions, ratings and results
    eagerly, not one query per row."""
    app.config["PAGE_SIZE"] = 20
    if role:
        auth.as_role(role)
    with app.app_context():
        fill(2)
    few = statements_per_page(app, client)
    with app.app_context():
        fill(18)
    many = statements_per_page(app, client)
    assert many == few
