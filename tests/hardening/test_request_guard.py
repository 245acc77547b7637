"""Are NUL bytes and invalid UTF-8 refused in one place, before any view or database sees them?"""
from __future__ import annotations

import pytest


def raw_query(query: bytes) -> dict:
    """Send a query string byte for byte (WSGI carries the bytes as latin-1 characters)."""
    return {"QUERY_STRING": query.decode("latin-1")}


@pytest.mark.parametrize("query", [b"q=a%00b", b"q=%ff%fe", b"q=\xff", b"page=1&x=%C0%80", b"q=a\x00b"])
def test_hostile_query_strings_are_a_400_in_the_users_language(client, query):
    """/search?q=a%00b and invalid UTF-8 answer 400 with a message, on every database."""
    client.get("/lang/en")
    response = client.get("/search", environ_overrides=raw_query(query))
    assert response.status_code == 400
    assert "NUL bytes" in response.get_data(as_text=True)


def test_hostile_api_queries_are_a_json_400(client):
    """Under /api the refusal is the API's error object: a code, a message and the reasons per field."""
    response = client.get("/api/v1/search", environ_overrides=raw_query(b"q=a%00b"))
    assert response.status_code == 400 and set(response.get_json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("body", [b"title=a%00b&description=x", b"title=%ff%ff", b"title=\xc3"])
def test_hostile_form_bodies_are_refused(app, client, auth, body):
    """A form post carrying NUL or invalid UTF-8 is refused before the view (nothing reaches the database)."""
    from marketplace.extensions import db
    from marketplace.needs.models import Need

    auth.as_role("enterprise")
    response = client.post("/needs/new", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Need)) == 0


def test_nul_in_multipart_fields_is_refused(client, auth):
    """Multipart bodies are checked too."""
    auth.as_role("enterprise")
    response = client.post("/needs/new", data={"title": "a\x00b"}, content_type="multipart/form-data")
    assert response.status_code == 400


def test_nul_in_the_path_is_refused(client):
    """A NUL byte in a path variable never reaches a view."""
    assert client.get("/lang/e%00n").status_code == 400


def test_ordinary_unicode_passes(client):
    """Chinese, emoji and percent-encoded UTF-8 pass the guard."""
    assert client.get("/search", query_string={"q": "注塑 ✓ 🙂"}).status_code == 200
    assert client.get("/needs/?q=%E6%B3%A8%E5%A1%91").status_code == 200
