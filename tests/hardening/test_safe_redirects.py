"""Does every honoured `next` stay on this site, and does the language link write nothing to the database?"""
from __future__ import annotations

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.web import safe_url
from tests.factories import make_case

HOSTILE = ["https:evil.example/phish", "https://evil.example/x", "//evil.example/x", "/\\evil.example/x",
           "\\\\evil.example", "/\t/evil.example", " //evil.example", "javascript:alert(1)", "http:/evil.example",
           "https://localhost.evil.example/", "data:text/html,hi", "/\n/evil.example"]


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_leaves_the_site(client, target):
    """/lang/en?next=<another site> lands on a page of this site."""
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location, location


def test_the_language_switch_returns_to_the_page_on_this_site(client):
    """A local next (with its query) or a local Referer is where the switch returns."""
    assert client.get("/lang/en?next=/offerings%3Fpage%3D2").headers["Location"] == "/offerings?page=2"
    response = client.get("/lang/en", headers={"Referer": "http://localhost/needs/?q=x"})
    assert response.headers["Location"] == "/needs/?q=x"
    response = client.get("/lang/en", headers={"Referer": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_safe_url_accepts_paths_and_this_host_only(app):
    """The helper keeps site paths, turns same-host URLs into paths and refuses everything else."""
    with app.test_request_context("/", base_url="http://localhost"):
        assert safe_url("/cases/manage") == "/cases/manage"
        assert safe_url("http://localhost/a?b=1#c") == "/a?b=1#c"
        for target in HOSTILE + [None, "", "relative/path", "x" * 5000]:
            assert safe_url(target, "/fallback") == "/fallback", target


def test_case_actions_return_only_to_pages_on_this_site(app, client, auth):
    """A case action's hidden `next` is honoured for site paths and ignored for other sites."""
    who = auth.as_role("center")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        case_id = make_case(db.session.get(Organisation, who.org_id), state="draft").id
    response = client.post(f"/cases/{case_id}/publish", data={"next": "/\\evil.example"})
    assert response.headers["Location"] == f"/cases/{case_id}"
    response = client.post(f"/cases/{case_id}/unpublish", data={"next": "/cases/manage"})
    assert response.headers["Location"] == "/cases/manage"


def test_the_language_link_writes_only_the_session_and_a_post_saves_it(app, client, auth):
    """GET /lang/en changes this session's language only; POST /lang/en also saves the user's preference."""
    who = auth.as_role("enterprise")
    assert client.get("/lang/en").status_code == 302
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, who.user_id).locale != "en"
    assert client.post("/lang/en").status_code == 302
    with app.app_context():
        assert db.session.get(User, who.user_id).locale == "en"


@pytest.mark.parametrize("target", ["/\\evil.example/x", "/\t/evil.example", "//evil.example", "https:evil.example"])
def test_sign_in_never_sends_the_browser_off_site(client, auth, target):
    """After signing in with a hostile ?next=, the browser stays on this site."""
    from tests.factories import DEFAULT_PASSWORD, make_user

    with client.application.app_context():
        email = make_user("enterprise").email
    response = client.post("/accounts/login", query_string={"next": target},
                           data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location
