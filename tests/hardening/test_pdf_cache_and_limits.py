"""Is the case PDF rendered once per change of the collection, and are PDF and search requests rate-limited?"""
from __future__ import annotations

import pytest

from marketplace import create_app
from marketplace.cases import collection_pdf
from marketplace.extensions import db
from tests.factories import make_case, make_offering, make_user


@pytest.fixture
def renders(monkeypatch):
    """Count the PDF renderings."""
    calls = []
    real = collection_pdf.render_collection_pdf

    def counting(year, cases, generated_on=None):
        calls.append(year)
        return real(year, cases, generated_on)

    monkeypatch.setattr(collection_pdf, "render_collection_pdf", counting)
    return calls


def test_the_collection_pdf_is_cached_until_a_case_changes(app, client, renders):
    """Two downloads render once; editing a case of the year renders again; the cache is one file per year."""
    with app.app_context():
        case = make_case(make_user("center").organisation)
        case_id, year = case.id, case.year
    first = client.get(f"/cases/collection/{year}.pdf")
    second = client.get(f"/cases/collection/{year}.pdf")
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert renders == [year]
    with app.app_context():
        from marketplace.cases.models import Case

        db.session.get(Case, case_id).title = "陶瓷砖面缺陷检测案例（修订）"
        db.session.commit()
    assert client.get(f"/cases/collection/{year}.pdf").status_code == 200
    assert renders == [year, year]
    from pathlib import Path

    assert len(list((Path(app.instance_path) / "case-collection").glob(f"{year}-*.pdf"))) == 1


@pytest.fixture
def limited(database_uri, tmp_path):
    """An app with rate limiting on and small limits."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "RATELIMIT_ENABLED": True, "PDF_RATE_LIMIT": "2 per minute",
                      "SEARCH_RATE_LIMIT": "3 per minute"})
    yield app
    from tests.conftest import empty_tables

    with app.app_context():
        empty_tables()
        db.session.remove()


def test_pdf_renderings_are_rate_limited_but_cached_copies_are_not(limited, renders):
    """A client gets 429 after the limit of renderings; cached downloads do not count."""
    client = limited.test_client()
    with limited.app_context():
        year = make_case(make_user("center").organisation).year
    assert [client.get(f"/cases/collection/{year}.pdf").status_code for _ in range(5)] == [200] * 5
    assert client.get("/cases/collection/1999.pdf").status_code == 200
    assert client.get("/cases/collection/1998.pdf").status_code == 429
    assert len(renders) == 2


def test_visitor_searches_and_the_search_api_are_rate_limited(limited):
    """Visitors and API clients get 429 past the search limit (JSON under /api); signed-in page searches do not."""
    with limited.app_context():
        make_offering(make_user("vendor").organisation)
    client = limited.test_client()
    statuses = [client.get("/search", query_string={"q": f"视觉检测{i}"}).status_code for i in range(3)]
    assert statuses == [200, 200, 200]
    assert client.get("/search?q=视觉检测").status_code == 429
    api = client.get("/api/v1/search?q=视觉检测")
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "rate_limited"


def test_signed_in_page_searches_are_not_limited(limited):
    """Signed-in users search on the page without the visitor limit."""
    from tests.conftest import AuthActions

    client = limited.test_client()
    AuthActions(limited, client).as_role("enterprise")
    assert {client.get("/search", query_string={"q": f"视觉检测{i}"}).status_code for i in range(6)} == {200}
