"""Is a search bounded before any work: length refused with a message, encoder input capped, saved searches capped?"""
from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.notifications.models import SavedSearch
from tests.factories import make_offering, make_user

LONG = "注塑件缺陷" * 2000  # 10,000 characters


@pytest.fixture
def no_search(monkeypatch):
    """Make any call into the matching service fail the test."""
    from marketplace.matching import views

    def refuse(*args, **kwargs):
        raise AssertionError("the search ran")

    monkeypatch.setattr(views, "search", refuse)


def test_an_over_long_query_is_refused_with_a_message_before_any_search(client, no_search):
    """A 10,000-character query re-renders the page with the limit in the user's language (422), no search."""
    response = client.get("/search", query_string={"q": LONG, "lang": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A search can be at most 500 characters long." in page
    assert 'maxlength="500"' in page


def test_an_over_long_api_query_is_a_400_json_error(client, no_search):
    """The search API answers an over-long query with a JSON 4xx error."""
    response = client.get("/api/v1/search", query_string={"q": LONG})
    assert response.status_code == 400
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_the_text_reaching_the_encoder_is_capped(app, monkeypatch):
    """However long the text a service is given, the index is asked with at most MATCHING_ENCODE_MAX_CHARS."""
    from marketplace.matching import services

    seen = []

    class Encoder:
        def query(self, texts):
            seen.extend(texts)
            return [None]

    class Analysis:
        def top_scenarios(self, n):
            return []

    class Backend:
        def where_records(self, selects):
            return None

    class Index:
        scenarios = None
        encoder = Encoder()
        backend = Backend()

        def analyse(self, text, **kwargs):
            seen.append(text)
            return Analysis()

        def search(self, text, **kwargs):
            seen.append(text)
            return []

    class Engine:
        def index(self):
            return Index()

    app.config["MATCHING_ENCODE_MAX_CHARS"] = 300
    monkeypatch.setattr(services, "engine", lambda: Engine())
    with app.test_request_context():
        from flask_login import AnonymousUserMixin

        make_offering(make_user("vendor").organisation)
        services.search(LONG, {}, AnonymousUserMixin())
    assert seen and all(len(text) <= 300 for text in seen)


def test_saving_an_over_long_search_is_refused_without_searching(client, auth, no_search):
    """Saving a search longer than the limit re-renders the search page with the message (422)."""
    auth.as_role("enterprise")
    client.get("/lang/en")
    response = client.post("/notifications/searches", query_string={"q": LONG})
    assert response.status_code == 422
    assert "A search can be at most 500 characters long." in response.get_data(as_text=True)


def test_saved_searches_are_capped_per_user(app, client, auth):
    """A user keeps at most SAVED_SEARCH_LIMIT saved searches; one more is refused with a message (422)."""
    app.config["SAVED_SEARCH_LIMIT"] = 3
    who = auth.as_role("enterprise")
    client.get("/lang/en")
    for i in range(3):
        assert client.post("/notifications/searches", query_string={"q": f"视觉检测 {i}"}).status_code == 302
    response = client.post("/notifications/searches", query_string={"q": "视觉检测 4"})
    assert response.status_code == 422
    assert "You can keep at most 3 saved searches." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SavedSearch).filter_by(user_id=who.user_id).count() == 3


def test_unknown_parameters_never_reach_url_building(client, auth):
    """Search parameters named like url_for's own (endpoint, _external) are ignored, not a 500."""
    auth.as_role("enterprise")
    response = client.get("/search", query_string={"q": "视觉检测", "endpoint": "1", "_external": "1",
                                                   "_anchor": "x", "values": "y"})
    assert response.status_code == 200
    [action] = re.findall(r'action="(/notifications/searches[^"]*)"', response.get_data(as_text=True))
    assert "endpoint" not in action and "q=" in action
    saved = client.post("/notifications/searches", query_string={"q": "视觉检测", "endpoint": "1"})
    assert saved.status_code == 302 and "endpoint" not in saved.headers["Location"]
