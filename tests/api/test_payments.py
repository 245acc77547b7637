"""Recording a payment through the API takes what the payment page takes — the amount received and the payment
reference — validates them the same way, writes the same receipt, and says what is wrong in machine-readable form."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Order, PaymentReceipt
from marketplace.orders.services import place_order
from marketplace.resonance.models import LedgerEntry
from tests.api.conftest import bearer, issue_token
from tests.factories import make_active_agreement, make_offering, make_user

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def sale(app):
    """A placed order of 9,999.99 CNY for an offering split 60/40 by an agreement; the vendor's and the buyer's
    tokens for deals."""
    with app.app_context():
        vendor, buyer = make_user("vendor"), make_user("enterprise")
        offering = make_offering(vendor.organisation, price_fen=999_999)
        make_active_agreement(vendor, make_user("enterprise"), [offering], shares=(6000, 4000))
        order, _ = place_order(buyer, offering, 1, "api-pay")
        db.session.commit()
        return {"order": order.id, "payable": order.payable_fen,
                "vendor": issue_token(vendor, ("read", "orders")), "buyer": issue_token(buyer, ("read", "orders"))}


def post_pay(client, secret: str, order_id: int, body, **headers):
    """POST a payment record; return the answer."""
    return client.post(f"/api/v1/orders/{order_id}/pay", headers=bearer(secret, **headers), json=body)


def count(model) -> int:
    """Rows of a table."""
    with db.session.no_autoflush:
        return db.session.scalar(select(func.count()).select_from(model))


def test_paying_writes_the_receipt_with_amount_and_reference(app, client, sale):
    """Does the vendor's payment record move the order to paid, split the revenue and return the receipt?"""
    answer = post_pay(client, sale["vendor"], sale["order"], {"amount_fen": sale["payable"], "reference": " CMB-77 "})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["order"]["state"] == "paid" and "pay" not in body["order"]["transitions"]
    assert (body["receipt"]["amount_fen"], body["receipt"]["reference"]) == (sale["payable"], "CMB-77")
    with app.app_context():
        receipt = db.session.scalar(select(PaymentReceipt))
        assert (receipt.order_id, receipt.amount_fen, receipt.reference) == (sale["order"], sale["payable"], "CMB-77")
        assert count(LedgerEntry) == 2


@pytest.mark.parametrize(("body", "field"), [
    ({"amount_fen": 100, "reference": "CMB-1"}, "amount_fen"),
    ({"reference": "CMB-1"}, "amount_fen"),
    ({"amount_fen": 12.5, "reference": "CMB-1"}, "amount_fen"),
    ({"amount_fen": "PAYABLE"}, "reference"),
    ({"amount_fen": "PAYABLE", "reference": "   "}, "reference"),
    ({"amount_fen": "PAYABLE", "reference": "x" * 65}, "reference"),
    ({"amount_fen": "PAYABLE", "reference": "CMB-1", "paid": True}, "paid"),
])
def test_a_wrong_or_missing_amount_or_reference_is_refused_by_field(app, client, sale, body, field):
    """Is another amount than the payable, a missing, blank or overlong reference, or an unknown field refused with
    422 and the reason under its field, and nothing recorded?"""
    body = {k: sale["payable"] if v == "PAYABLE" else v for k, v in body.items()}
    answer = post_pay(client, sale["vendor"], sale["order"], body, **{"Accept-Language": "en"})
    error = answer.get_json()["error"]
    assert answer.status_code == 422 and field in error["fields"], error
    with app.app_context():
        assert db.session.get(Order, sale["order"]).state == "placed" and count(PaymentReceipt) == 0


def test_the_same_key_records_one_payment_and_a_paid_order_is_409(app, client, sale):
    """Does a repeated request with one Idempotency-Key give the one receipt, and another key a 409 already_done?"""
    body = {"amount_fen": sale["payable"], "reference": "CMB-2"}
    first = post_pay(client, sale["vendor"], sale["order"], body, **{"Idempotency-Key": "pay-1"})
    again = post_pay(client, sale["vendor"], sale["order"], body, **{"Idempotency-Key": "pay-1"})
    assert first.status_code == 201 and again.status_code == 201
    assert first.get_json()["receipt"]["id"] == again.get_json()["receipt"]["id"]
    other = post_pay(client, sale["vendor"], sale["order"], body, **{"Idempotency-Key": "pay-2"})
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "already_done"
    with app.app_context():
        assert count(PaymentReceipt) == 1 and count(LedgerEntry) == 2


def test_only_the_vendor_pays_and_the_bare_transition_is_gone(client, sale):
    """Is the buyer refused (403), and is the old bare `pay` transition (no amount, no reference) not offered?"""
    body = {"amount_fen": sale["payable"], "reference": "CMB-3"}
    assert post_pay(client, sale["buyer"], sale["order"], body).status_code == 403
    bare = client.post(f"/api/v1/orders/{sale['order']}/transitions/pay", headers=bearer(sale["vendor"]), json={})
    assert bare.status_code == 404 and bare.get_json()["error"]["code"] == "unknown_transition"
    moves = client.get(f"/api/v1/orders/{sale['order']}/transitions", headers=bearer(sale["vendor"])).get_json()
    assert "pay" not in [t["name"] for t in moves["transitions"]]


def test_the_openapi_document_describes_the_payment(client):
    """Does the OpenAPI document give the payment operation its body (amount_fen, reference) and answers?"""
    doc = client.get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/api/v1/orders/{order_id}/pay"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert set(schema["required"]) == {"amount_fen", "reference"}
    assert {"201", "409", "422"} <= set(operation["responses"])
