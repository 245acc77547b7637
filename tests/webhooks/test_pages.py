"""The webhooks page: registering an endpoint (URL rules with clear messages), the secret shown once, the
endpoint's actions, and another organisation kept out."""
from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.webhooks.models import WebhookEndpoint


def register_page(client, url: str, events=("order.placed",), description: str = "ERP"):
    """Post the registration form."""
    return client.post("/webhooks/", data={"url": url, "description": description, "events": list(events)})


def endpoints(app) -> list[WebhookEndpoint]:
    """Every endpoint stored."""
    with app.app_context():
        return list(db.session.scalars(db.select(WebhookEndpoint)))


def test_dashboard_links_to_webhooks_for_each_kind_of_organisation(client, auth):
    """Do SMEs, vendors and centers find the webhooks page from their dashboard, and admins not?"""
    for role in ("enterprise", "vendor", "center"):
        auth.as_role(role)
        assert 'href="/webhooks/"' in client.get("/dashboard").get_data(as_text=True), role
        auth.logout()
    auth.as_role("admin")
    assert 'href="/webhooks/"' not in client.get("/dashboard").get_data(as_text=True)
    assert client.get("/webhooks/").status_code == 403


def test_registering_shows_the_secret_once(app, client, auth, receiver):
    """Is the signing secret on the answer to the registration, and nowhere on the pages after?"""
    auth.as_role("vendor")
    response = register_page(client, receiver.url("/hook"), events=("order.placed", "need.matched"))
    assert response.status_code == 201
    [endpoint] = endpoints(app)
    assert endpoint.secret in response.get_data(as_text=True)
    assert endpoint.event_list == ["need.matched", "order.placed"]
    assert endpoint.secret not in client.get("/webhooks/").get_data(as_text=True)
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    rolled = client.post(f"/webhooks/{endpoint.id}/roll-secret").get_data(as_text=True)
    [after] = endpoints(app)
    assert after.secret != endpoint.secret and after.secret in rolled


def test_the_page_explains_how_to_verify_signatures(client, auth):
    """Does the page document the signature scheme with a Python snippet?"""
    auth.as_role("enterprise")
    page = client.get("/webhooks/").get_data(as_text=True)
    assert "Webhook-Signature" in page and "hmac.new(secret.encode()" in page


@pytest.mark.parametrize("url,message", [
    ("ftp://example.com/hook", "https://"),
    ("http://127.0.0.1:8000/hook", "https://"),
    ("http://localhost/hook", "https://"),
    ("https://10.0.0.5/hook", "private or local network"),
    ("https://192.168.1.20:8443/hook", "private or local network"),
    ("https://127.0.0.1/hook", "private or local network"),
    ("https://localhost/hook", "private or local network"),
    ("https://[::1]/hook", "private or local network"),
    ("https://169.254.169.254/latest/meta-data", "private or local network"),
    ("not a url", "https://"),
])
def test_production_refuses_unsafe_urls_with_a_clear_message(app, client, auth, url, message):
    """In the production configuration, are non-https and private or loopback addresses refused on the form?"""
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    auth.as_role("vendor")
    client.get("/lang/en")
    response = register_page(client, url)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert url in response.get_data(as_text=True)  # the form keeps what was typed
    assert endpoints(app) == []


def test_production_accepts_https_on_a_public_address(app, client, auth):
    """Is an https URL on a public IP address accepted in the production configuration?"""
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    auth.as_role("vendor")
    assert register_page(client, "https://203.0.113.10/hooks/moshu").status_code == 422  # documentation range
    assert register_page(client, "https://8.8.8.8/hooks/moshu").status_code == 201


def test_testing_config_allows_http_on_the_loopback_host_only(client, auth):
    """With WEBHOOK_ALLOW_LOCAL, is http to 127.0.0.1 accepted, and ftp or http elsewhere still refused?"""
    auth.as_role("vendor")
    assert register_page(client, "http://127.0.0.1:9999/hook").status_code == 201
    assert register_page(client, "ftp://127.0.0.1/hook").status_code == 422
    assert register_page(client, "http://10.0.0.5/hook").status_code == 422


def test_an_organisation_can_pick_only_events_that_concern_it(app, client, auth, receiver):
    """Is an SME refused need.matched (a vendor's event), and a center offered agreement.signed only?"""
    auth.as_role("enterprise")
    response = register_page(client, receiver.url(), events=("need.matched",))
    assert response.status_code == 422 and endpoints(app) == []
    auth.logout()
    auth.as_role("center")
    page = client.get("/webhooks/").get_data(as_text=True)
    assert re.findall(r'name="events"[^>]*value="([a-z.]+)"', page) == ["agreement.signed"]


def test_another_organisation_cannot_see_or_change_my_endpoint(app, client, auth, receiver):
    """Does a member of another vendor get 404 on my endpoint's page and on every action, changing nothing?"""
    auth.as_role("vendor")
    register_page(client, receiver.url())
    [mine] = endpoints(app)
    auth.logout()
    auth.as_role("vendor")
    assert receiver.url() not in client.get("/webhooks/").get_data(as_text=True)
    assert client.get(f"/webhooks/{mine.id}").status_code == 404
    for action in ("enabled", "roll-secret", "test", "delete"):
        assert client.post(f"/webhooks/{mine.id}/{action}", data={"enabled": "0"}).status_code == 404, action
    [after] = endpoints(app)
    assert (after.secret, after.enabled) == (mine.secret, True)
    assert receiver.received == []


def test_owner_disables_enables_tests_and_deletes(app, client, auth, receiver):
    """Do the endpoint page's buttons work for its organisation, and the test event show as a delivery?"""
    auth.as_role("vendor")
    register_page(client, receiver.url("/hook"))
    [endpoint] = endpoints(app)
    receiver.secrets["/hook"] = endpoint.secret
    client.post(f"/webhooks/{endpoint.id}/enabled", data={"enabled": "0"})
    assert endpoints(app)[0].enabled is False
    client.post(f"/webhooks/{endpoint.id}/enabled", data={"enabled": "1"})
    assert endpoints(app)[0].enabled is True
    client.post(f"/webhooks/{endpoint.id}/test")
    assert receiver.received[0].event["type"] == "webhook.test" and receiver.received[0].signature_valid
    page = client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "webhook.test" in page and "200" in page
    assert client.post(f"/webhooks/{endpoint.id}/delete").status_code == 302
    assert endpoints(app) == []
