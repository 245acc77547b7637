"""Webhooks through the API: scopes, the secret in the creation answer only, another organisation's endpoints
answered as missing, deliveries with their attempts."""
from __future__ import annotations

from marketplace.extensions import db
from marketplace.orders.services import place_order
from marketplace.webhooks.models import WebhookEndpoint
from tests.api.conftest import bearer, issue_token
from tests.factories import make_offering, make_user


def test_a_token_with_the_orders_scope_registers_an_endpoint(app, client, receiver):
    """Does POST /api/v1/webhooks answer 201 with the secret, and a read-only token get 403?"""
    with app.app_context():
        vendor = make_user("vendor")
        deals, reader = issue_token(vendor, ("read", "orders")), issue_token(vendor, ("read",))
    body = {"url": receiver.url(), "description": "ERP", "events": ["order.placed", "proposal.changed"]}
    refused = client.post("/api/v1/webhooks", json=body, headers=bearer(reader))
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "insufficient_scope"
    created = client.post("/api/v1/webhooks", json=body, headers=bearer(deals))
    assert created.status_code == 201
    answer = created.get_json()
    assert answer["secret"].startswith("whsec_") and answer["events"] == ["proposal.changed", "order.placed"]
    listed = client.get("/api/v1/webhooks", headers=bearer(reader)).get_json()["items"]
    assert [e["id"] for e in listed] == [answer["id"]] and "secret" not in listed[0]


def test_bad_endpoints_are_refused_with_reasons_per_field(app, client):
    """Are ftp, an event the organisation cannot get, and an empty body 422s naming the fields?"""
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    with app.app_context():
        secret = issue_token(make_user("enterprise"), ("orders",))
    answer = client.post("/api/v1/webhooks", json={"url": "https://10.1.2.3/x", "events": ["need.matched"]},
                         headers=bearer(secret))
    assert answer.status_code == 422 and set(answer.get_json()["error"]["fields"]) == {"url", "events"}
    assert client.post("/api/v1/webhooks", json={"url": "ftp://a.example/x", "events": ["nope"]},
                       headers=bearer(secret)).status_code == 422
    assert client.post("/api/v1/webhooks", headers=bearer(secret)).status_code == 422
    assert client.post("/api/v1/webhooks", data="url=x", headers=bearer(secret)).status_code == 415
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WebhookEndpoint)) == 0


def test_another_organisation_cannot_see_or_delete_my_endpoint(app, client, receiver):
    """Does another vendor's token get 404 on my endpoint's deliveries and its deletion, and not list it?"""
    with app.app_context():
        mine, theirs = issue_token(make_user("vendor"), ("read", "orders")), issue_token(make_user("vendor"),
                                                                                         ("read", "orders"))
    created = client.post("/api/v1/webhooks", json={"url": receiver.url(), "events": ["order.paid"]},
                          headers=bearer(mine)).get_json()
    assert client.get("/api/v1/webhooks", headers=bearer(theirs)).get_json() == {"items": []}
    assert client.get(f"/api/v1/webhooks/{created['id']}/deliveries", headers=bearer(theirs)).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=bearer(theirs)).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=bearer(mine)).status_code == 204
    assert client.get("/api/v1/webhooks", headers=bearer(mine)).get_json() == {"items": []}


def test_deliveries_list_the_attempts(app, client, receiver):
    """Does GET …/deliveries show the event sent and each attempt's status code and answer?"""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        offering = make_offering(vendor.organisation, voucher_eligible=False)
        secret = issue_token(vendor, ("read", "orders"))
    created = client.post("/api/v1/webhooks", json={"url": receiver.url(), "events": ["order.placed"]},
                          headers=bearer(secret)).get_json()
    receiver.statuses = [500]
    with app.app_context():
        order, _created = place_order(db.session.merge(sme), db.session.merge(offering), 1, "api-webhook-1")
        db.session.commit()
        order_id = order.id
    [delivery] = client.get(f"/api/v1/webhooks/{created['id']}/deliveries",
                            headers=bearer(secret)).get_json()["items"]
    assert delivery["event_type"] == "order.placed" and delivery["payload"]["data"]["id"] == order_id
    assert delivery["state"] == "pending" and delivery["next_attempt_at"].endswith("Z")
    assert [(a["number"], a["status_code"]) for a in delivery["attempts"]] == [(1, 500)]
    assert delivery["attempts"][0]["response_body"].startswith("boom")


def test_a_bad_limit_is_a_documented_422(app, client):
    """Is ?limit=0 on the deliveries list a 422 error object, and is 422 in that operation's document?"""
    with app.app_context():
        secret = issue_token(make_user("vendor"), ("read", "orders"))
    created = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/h", "events": ["order.paid"]},
                          headers=bearer(secret)).get_json()
    answer = client.get(f"/api/v1/webhooks/{created['id']}/deliveries?limit=0", headers=bearer(secret))
    assert answer.status_code == 422 and "limit" in answer.get_json()["error"]["fields"]
    document = client.get("/api/v1/openapi.json").get_json()
    assert "422" in document["paths"]["/api/v1/webhooks/{endpoint_id}/deliveries"]["get"]["responses"]
