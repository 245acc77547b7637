"""Deals through the API only: a vendor proposes and revises, the SME shortlists and accepts, both confirm the
contract, the SME orders it with an Idempotency-Key, the vendor records payment and refunds; agreements show who
signed; statements give exact fen as JSON and CSV; and every refusal is the page's."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.needs.models import Need
from marketplace.orders.models import Order, VoucherEntry
from marketplace.resonance.models import LedgerEntry
from tests.api.conftest import bearer, issue_token
from tests.factories import make_active_agreement, make_need, make_offering, make_quota, make_user

# The 模型券 deduction depends on the year's voucher instrument, so these tests run at a fixed date (2026-03-10).
pytestmark = pytest.mark.usefixtures("frozen_clock")

DEALS = ("read", "orders", "statements")
PLAN = "四周内部署注塑件视觉检测工作站，含模型微调与现场验收。"


@pytest.fixture
def deal(app):
    """A vendor with a 模型券-eligible offering under an active 60/40 agreement with a Zhuhai SME (with an approved
    quota) that posted a need; each with a token for deals; and a stranger vendor."""
    with app.app_context():
        vendor, sme, stranger = make_user("vendor"), make_user("enterprise", city="zhuhai"), make_user("vendor")
        make_quota(sme.organisation, 100_000_000, 2026)
        offering = make_offering(vendor.organisation, price_fen=500, voucher_eligible=True)
        agreement = make_active_agreement(vendor, sme, [offering], shares=(6000, 4000))
        need = make_need(sme.organisation, city="zhuhai")
        return {"vendor": issue_token(vendor, DEALS), "sme": issue_token(sme, DEALS),
                "stranger": issue_token(stranger, DEALS), "offering": offering.id, "need": need.id,
                "agreement": agreement.id, "vendor_org": vendor.organisation_id, "sme_org": sme.organisation_id,
                "stranger_offering": make_offering(stranger.organisation).id}


def terms(deal: dict, price_fen: int) -> dict:
    """A proposal's terms attaching the vendor's offering."""
    return {"offering_ids": [deal["offering"]], "price_fen": price_fen, "plan": PLAN, "message": "可先做试点。"}


def move(client, secret: str, collection: str, record_id: int, name: str, **values):
    """Make one move through the transitions endpoint; return the answer."""
    return client.post(f"/api/v1/{collection}/{record_id}/transitions/{name}", headers=bearer(secret),
                       json={"values": values})


def pay(client, secret: str, order: dict, reference: str = "CMB20260310000123"):
    """Record an order's payment through the API with its amount payable and a reference; return the answer."""
    return client.post(f"/api/v1/orders/{order['id']}/pay", headers=bearer(secret),
                       json={"amount_fen": order["payable_fen"], "reference": reference})


def test_the_whole_deal_through_the_api(app, client, deal):
    """Propose → revise → shortlist → accept → both confirm → order with the 模型券 → pay → statements → refund:
    does every step go through the API alone, with the amounts exact to the fen?"""
    vendor, sme = deal["vendor"], deal["sme"]
    sent = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(vendor), json=terms(deal, 300_000))
    assert sent.status_code == 201, sent.get_json()
    proposal = sent.get_json()
    assert proposal["state"] == "submitted" and proposal["price_fen"] == 300_000
    assert [o["id"] for o in proposal["offerings"]] == [deal["offering"]]
    assert sent.headers["Location"].endswith(f"/api/v1/proposals/{proposal['id']}")
    twice = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(vendor), json=terms(deal, 1))
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_proposed"

    revised = client.post(f"/api/v1/proposals/{proposal['id']}/revisions", headers=bearer(vendor),
                          json=terms(deal, 333_333))
    assert revised.status_code == 201 and revised.get_json()["price_fen"] == 333_333

    received = client.get("/api/v1/proposals?state=submitted", headers=bearer(sme)).get_json()
    assert [(p["id"], p["price_fen"]) for p in received["items"]] == [(proposal["id"], 333_333)]
    assert client.get("/api/v1/proposals?state=accepted", headers=bearer(sme)).get_json()["total"] == 0
    for name in ("shortlist", "accept"):
        assert move(client, sme, "proposals", proposal["id"], name).status_code == 200
    late = client.post(f"/api/v1/proposals/{proposal['id']}/revisions", headers=bearer(vendor),
                       json=terms(deal, 1))
    assert late.status_code == 409
    assert move(client, sme, "proposals", proposal["id"], "confirm").get_json()["state"] == "accepted"
    assert move(client, vendor, "proposals", proposal["id"], "confirm").get_json()["state"] == "contracted"
    with app.app_context():
        assert db.session.get(Need, deal["need"]).status == "contracted"

    quoted = client.get(f"/api/v1/proposals/{proposal['id']}/quote", headers=bearer(sme)).get_json()
    assert quoted["list_fen"] == 333_333 and 0 < quoted["voucher_fen"] < 333_333
    assert sum(line["amount_fen"] for line in quoted["lines"]) == quoted["payable_fen"]
    placed = client.post("/api/v1/orders", headers=bearer(sme, **{"Idempotency-Key": "deal-1"}),
                         json={"proposal_id": proposal["id"], "quoted_unit_fen": quoted["unit_price_fen"],
                               "quoted_payable_fen": quoted["payable_fen"]})
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    assert order["payable_fen"] == quoted["payable_fen"] and order["transitions"] == ["cancel"]
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=bearer(sme)).get_json()["order_id"] == order["id"]

    assert pay(client, vendor, order).get_json()["order"]["state"] == "paid"
    periods = client.get("/api/v1/statements", headers=bearer(vendor)).get_json()
    assert [(p["period"], p["entries"], p["total_fen"]) for p in periods["months"]] == [("2026-03", 1, 200_000)]
    assert [p["period"] for p in periods["years"]] == ["2026"]
    mine = client.get(periods["months"][0]["url"], headers=bearer(vendor)).get_json()
    assert [(e["order_id"], e["kind"], e["share_bp"], e["amount_fen"]) for e in mine["entries"]] == [
        (order["id"], "revenue", 6000, 200_000)]  # 333,333 × 60% = 199,999.8: the leftover fen goes to it
    theirs = client.get("/api/v1/statements/2026-03", headers=bearer(sme)).get_json()
    assert theirs["total_fen"] == 133_333 and mine["total_fen"] + theirs["total_fen"] == 333_333

    refused = move(client, vendor, "orders", order["id"], "refund")
    assert refused.status_code == 422 and "values.reason" in refused.get_json()["error"]["fields"]
    refunded = move(client, vendor, "orders", order["id"], "refund", reason="验收未通过，全额退款")
    assert refunded.status_code == 200 and refunded.get_json()["state"] == "refunded"
    detail = client.get(f"/api/v1/orders/{order['id']}", headers=bearer(sme)).get_json()
    assert detail["refund_reason"] == "验收未通过，全额退款" and detail["refunded_at"] and detail["paid_at"]
    after = client.get("/api/v1/statements/2026-03", headers=bearer(vendor)).get_json()
    assert (after["revenue_fen"], after["reversed_fen"], after["total_fen"]) == (200_000, -200_000, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 4  # two shares, two reversals


def test_an_order_sent_twice_with_one_key_is_placed_once(app, client, deal):
    """Do two sends with one Idempotency-Key place ONE order and reserve its 模型券 once, the second answer
    replaying the first; and is the key refused for a different order?"""
    sme = deal["sme"]
    quoted = client.get(f"/api/v1/offerings/{deal['offering']}/quote?quantity=3", headers=bearer(sme)).get_json()
    assert (quoted["list_fen"], quoted["voucher_fen"], quoted["payable_fen"]) == (1500, 450, 1050)
    body = {"offering_id": deal["offering"], "quantity": 3, "quoted_unit_fen": 500, "quoted_payable_fen": 1050}
    headers = bearer(sme, **{"Idempotency-Key": "erp-order-7781"})
    first = client.post("/api/v1/orders", headers=headers, json=body)
    second = client.post("/api/v1/orders", headers=headers, json=body)
    assert first.status_code == second.status_code == 201
    assert second.headers.get("Idempotent-Replayed") == "true" and second.get_json() == first.get_json()
    order = first.get_json()
    assert [(line["code"], line["amount_fen"]) for line in order["lines"]] == [("item", 1500), ("model_voucher", -450)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 1
        reserved = list(db.session.scalars(select(VoucherEntry.amount_fen).where(VoucherEntry.kind == "reserve")))
        assert reserved == [450]
    other = client.post("/api/v1/orders", headers=headers, json={**body, "quantity": 1, "quoted_payable_fen": 350})
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    listed = client.get("/api/v1/orders", headers=bearer(sme)).get_json()
    assert listed["total"] == 1 and listed["items"][0]["voucher_fen"] == 450
    sold = client.get("/api/v1/orders?state=placed", headers=bearer(deal["vendor"])).get_json()
    assert [o["id"] for o in sold["items"]] == [order["id"]]


def test_an_order_at_a_changed_quote_is_refused(app, client, deal):
    """When the vendor raised the price after the quote, is the order refused (in the caller's language, with the
    new figures) and nothing written — and placed once the new quote is sent?"""
    sme = deal["sme"]
    seen = client.get(f"/api/v1/offerings/{deal['offering']}/quote", headers=bearer(sme)).get_json()
    with app.app_context():
        db.session.get(Offering, deal["offering"]).price_fen = 5_000_000
        db.session.commit()
    body = {"offering_id": deal["offering"], "quoted_unit_fen": seen["unit_price_fen"],
            "quoted_payable_fen": seen["payable_fen"]}
    refused = client.post("/api/v1/orders", headers=bearer(sme, **{"Accept-Language": "en", "Idempotency-Key": "q"}),
                          json=body)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "quote_changed" and "¥35,000.00" in error["message"] and "changed" in error["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
        assert db.session.scalar(select(func.count()).select_from(VoucherEntry)) == 0
    placed = client.post("/api/v1/orders", headers=bearer(sme, **{"Idempotency-Key": "q"}),
                         json={**body, "quoted_unit_fen": 5_000_000, "quoted_payable_fen": 3_500_000})
    assert placed.status_code == 201 and placed.get_json()["payable_fen"] == 3_500_000


def test_statement_csv_is_exact_fen(app, client, deal):
    """Is the statement CSV (a .csv path or Accept: text/csv) the JSON's rows in integer fen, with the total?"""
    sme, vendor = deal["sme"], deal["vendor"]
    for key in ("a", "b"):
        placed = client.post("/api/v1/orders", headers=bearer(sme, **{"Idempotency-Key": key}),
                             json={"offering_id": deal["offering"], "quantity": 1, "quoted_unit_fen": 500,
                                   "quoted_payable_fen": 350})
        assert pay(client, vendor, placed.get_json()).status_code == 201
    as_json = client.get("/api/v1/statements/2026", headers=bearer(vendor)).get_json()
    assert [e["amount_fen"] for e in as_json["entries"]] == [300, 300] and as_json["total_fen"] == 600
    by_path = client.get("/api/v1/statements/2026.csv", headers=bearer(vendor))
    by_accept = client.get("/api/v1/statements/2026", headers=bearer(vendor, Accept="text/csv"))
    assert by_path.mimetype == by_accept.mimetype == "text/csv" and by_path.data == by_accept.data
    rows = list(csv.DictReader(io.StringIO(by_path.get_data(as_text=True))))
    assert [(r["entry_id"], r["amount_fen"], r["amount_yuan"], r["share_bp"]) for r in rows] == [
        (str(as_json["entries"][0]["id"]), "300", "3.00", "6000"),
        (str(as_json["entries"][1]["id"]), "300", "3.00", "6000"), ("total", "600", "6.00", "")]
    empty = client.get("/api/v1/statements/2025-12", headers=bearer(vendor)).get_json()
    assert empty["entries"] == [] and empty["total_fen"] == 0 and empty["end"] == "2025-12-31"
    assert client.get("/api/v1/statements/2026-13", headers=bearer(vendor)).status_code == 404


def test_agreement_shows_who_signed_and_who_has_still_to(app, client, deal):
    """After the vendor signs an amendment through the API, does the agreement say the vendor signed it, when, and
    that the SME has still to — while the version in force keeps its shares?"""
    from marketplace.accounts.models import User
    from marketplace.resonance.services import PartyTerm, amend

    with app.app_context():
        vendor = db.session.scalar(select(User).where(User.organisation_id == deal["vendor_org"]))
        amend(deal["agreement"], vendor, [PartyTerm(deal["vendor_org"], "model", 7000),
                                          PartyTerm(deal["sme_org"], "data", 3000)], [deal["offering"]], "调整分成")
        db.session.commit()
    assert move(client, deal["vendor"], "agreements", deal["agreement"], "sign").status_code == 200
    agreement = client.get(f"/api/v1/agreements/{deal['agreement']}", headers=bearer(deal["sme"])).get_json()
    assert agreement["state"] == "active" and agreement["version"] == 1 and agreement["pending_version"] == 2
    assert [p["id"] for p in agreement["awaiting_signature"]] == [deal["sme_org"]]
    assert agreement["transitions"] == ["sign", "terminate"]
    current, pending = agreement["versions"]
    assert [(p["role"], p["share_bp"], p["signed"]) for p in current["parties"]] == [
        ("model", 6000, True), ("data", 4000, True)]
    signatures = [(p["organisation"]["id"], p["share_bp"], p["signed"], bool(p["signed_at"]))
                  for p in pending["parties"]]
    assert signatures == [(deal["vendor_org"], 7000, True, True), (deal["sme_org"], 3000, False, False)]
    listed = client.get("/api/v1/agreements?state=active", headers=bearer(deal["vendor"])).get_json()
    assert [(a["id"], [p["id"] for p in a["awaiting_signature"]]) for a in listed["items"]] == [
        (deal["agreement"], [deal["sme_org"]])]


def test_refusals(app, client, deal):
    """Visitors get 401; a token without the scope 403; a caller outside a deal 404 (its existence not leaked); a
    role that may not act 403; another vendor's offering in a proposal is refused by the form's rule."""
    for path in ("/api/v1/proposals", "/api/v1/orders", "/api/v1/agreements", "/api/v1/statements",
                 f"/api/v1/agreements/{deal['agreement']}", f"/api/v1/offerings/{deal['offering']}/quote"):
        assert client.get(path).status_code == 401
    assert client.post("/api/v1/orders", json={}).status_code == 401

    with app.app_context():
        from marketplace.accounts.models import User

        reader = issue_token(db.session.scalar(select(User).where(User.organisation_id == deal["vendor_org"])))
    for path in ("/api/v1/proposals", "/api/v1/statements"):
        scoped = client.get(path, headers=bearer(reader))
        assert scoped.status_code == 403 and scoped.get_json()["error"]["code"] == "insufficient_scope"

    sent = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(deal["vendor"]),
                       json=terms(deal, 100_000)).get_json()
    placed = client.post("/api/v1/orders", headers=bearer(deal["sme"]),
                         json={"offering_id": deal["offering"], "quoted_unit_fen": 500, "quoted_payable_fen": 350})
    assert placed.status_code == 201
    stranger = deal["stranger"]
    for path in (f"/api/v1/proposals/{sent['id']}", f"/api/v1/orders/{placed.get_json()['id']}",
                 f"/api/v1/agreements/{deal['agreement']}", "/api/v1/orders/999999"):
        hidden = client.get(path, headers=bearer(stranger, **{"Accept-Language": "en"}))
        assert hidden.status_code == 404 and hidden.get_json()["error"]["message"] == "We could not find that record."
    assert client.post(f"/api/v1/proposals/{sent['id']}/revisions", headers=bearer(stranger),
                       json=terms(deal, 1)).status_code == 404
    assert client.get("/api/v1/proposals", headers=bearer(stranger)).get_json()["total"] == 0

    assert client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(deal["sme"]),
                       json=terms(deal, 100_000)).status_code == 403
    assert client.post("/api/v1/orders", headers=bearer(deal["vendor"]),
                       json={"offering_id": deal["offering"], "quoted_unit_fen": 500,
                             "quoted_payable_fen": 350}).status_code == 403
    assert client.get(f"/api/v1/statements/2026?party={deal['sme_org']}",
                      headers=bearer(deal["vendor"])).status_code == 403

    theirs = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(stranger),
                         json={**terms(deal, 100_000), "offering_ids": [deal["offering"]]})
    assert theirs.status_code == 422 and "offerings" in theirs.get_json()["error"]["fields"]
    short = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(stranger),
                        json={"offering_ids": [deal["stranger_offering"]], "price_fen": 0.5, "plan": "短"})
    assert short.status_code == 422 and {"price_fen", "plan"} <= set(short.get_json()["error"]["fields"])
    empty = client.post("/api/v1/orders", headers=bearer(deal["sme"]))
    assert empty.status_code == 422 and "quoted_payable_fen" in empty.get_json()["error"]["fields"]
    both = client.post("/api/v1/orders", headers=bearer(deal["sme"]),
                       json={"offering_id": deal["offering"], "proposal_id": sent["id"], "quoted_unit_fen": 500,
                             "quoted_payable_fen": 350})
    assert both.status_code == 422 and "offering_id" in both.get_json()["error"]["fields"]
    not_contracted = client.post("/api/v1/orders", headers=bearer(deal["sme"]),
                                 json={"proposal_id": sent["id"], "quoted_unit_fen": 1, "quoted_payable_fen": 1})
    assert not_contracted.status_code == 422 and not_contracted.get_json()["error"]["code"] == "refused"


def test_ids_out_of_range_and_fractional_fen_are_refused_not_a_500(app, client, deal):
    """Found by schemathesis: offering ids beyond a database integer reached the database (500). Are they, and a
    price sent as 3294.5 fen, now a 422 naming the field, on a proposal and on its revision?"""
    vendor = deal["vendor"]
    huge = {**terms(deal, 300_000), "offering_ids": [-22_063_935_741_447_290_880, 34_359_738_369]}
    sent = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(vendor), json=huge)
    assert sent.status_code == 422 and "offering_ids.0" in sent.get_json()["error"]["fields"]
    fine = client.post(f"/api/v1/needs/{deal['need']}/proposals", headers=bearer(vendor), json=terms(deal, 300_000))
    proposal_id = fine.get_json()["id"]
    revised = client.post(f"/api/v1/proposals/{proposal_id}/revisions", headers=bearer(vendor), json=huge)
    assert revised.status_code == 422 and "offering_ids.1" in revised.get_json()["error"]["fields"]
    fraction = client.post(f"/api/v1/proposals/{proposal_id}/revisions", headers=bearer(vendor),
                           json={**terms(deal, 300_000), "price_fen": 3294.5})
    assert fraction.status_code == 422 and "price_fen" in fraction.get_json()["error"]["fields"]
