"""Every mutating route against every role and anonymous visitors: who may, who gets 403 or a login."""
import pytest

from marketplace.extensions import db
from tests.factories import make_model, make_need, make_offering, make_profile, make_user


@pytest.fixture
def records(app):
    """Listings and a need owned by other organisations, plus a user to moderate."""
    with app.app_context():
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        target = make_user("enterprise")
        return {"offering": make_offering(vendor).id, "model": make_model(vendor).id,
                "profile": make_profile(vendor).id, "need": make_need(sme).id, "user": target.id}


ROUTES = [
    # (url template, roles allowed to reach the form at all)
    ("/providers/mine", {"vendor", "admin"}),
    ("/models/new", {"vendor", "admin"}),
    ("/offerings/new", {"vendor", "admin"}),
    ("/needs/new", {"enterprise", "admin"}),
    ("/accounts/admin/accounts", {"admin"}),
    ("/accounts/admin/accounts/{user}/active", {"admin"}),
]
OWNED_ROUTES = [
    "/models/{model}/edit",
    "/offerings/{offering}/edit",
    "/listings/offering/{offering}/delist",
    "/listings/model/{model}/delist",
    "/listings/provider/{profile}/delist",
    "/needs/{need}/edit",
    "/needs/{need}/close",
]
ROLES = ["enterprise", "vendor", "center"]


@pytest.mark.parametrize("url,allowed", ROUTES)
def test_anonymous_is_sent_to_login(client, records, url, allowed):
    """Anonymous visitors posting to a mutating route are redirected to sign in."""
    response = client.post(url.format(**records))
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


@pytest.mark.parametrize("url", OWNED_ROUTES)
def test_anonymous_cannot_change_owned_records(client, records, url):
    """Anonymous visitors cannot change listings or needs."""
    response = client.post(url.format(**records))
    assert response.status_code == 302 and "/accounts/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,allowed", ROUTES)
def test_roles_outside_the_allowed_set_get_403(client, auth, records, role, url, allowed):
    """A role that may not use a route gets a 403 page."""
    auth.as_role(role)
    response = client.post(url.format(**records))
    if role in allowed:
        assert response.status_code != 403
    else:
        assert response.status_code == 403
        assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", OWNED_ROUTES)
def test_nobody_edits_another_organisations_records(app, client, auth, records, role, url):
    """Users of every role get 403 on records another organisation owns, and nothing changes."""
    auth.as_role(role)
    response = client.post(url.format(**records), data={"title": "篡改"})
    assert response.status_code == 403
    with app.app_context():
        from marketplace.catalog.models import Offering
        from marketplace.needs.models import Need
        assert db.session.get(Offering, records["offering"]).state == "published"
        assert db.session.get(Need, records["need"]).status == "open"
        assert db.session.get(Need, records["need"]).title != "篡改"


def test_403_page_is_in_the_users_language(client, auth, records):
    """The refusal reads in Chinese by default and in English after switching."""
    auth.as_role("enterprise")
    assert "权限" in client.post("/offerings/new").get_data(as_text=True)
    client.get("/lang/en")
    assert "permission" in client.post("/offerings/new").get_data(as_text=True)


def test_api_errors_are_machine_readable(client):
    """The JSON API answers unknown ids and bad filters with 4xx JSON errors."""
    missing = client.get("/api/v1/offerings/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/offerings?price_max=abc")
    assert bad.status_code == 400 and "price_max" in bad.get_json()["error"]["fields"]
