"""A listing written through the API reaches the real search index the moment its publish move is made, exactly
like one published from its page (the seeded app with its real encoder and index)."""
from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from seed.loader import DEMO_ACCOUNTS
from tests.api.conftest import bearer, issue_token

OFFERING = {"title": "量子猫眼 QX-7 锂电极片漏箔检测", "summary": "涂布极片漏箔、划痕在线检测",
            "description": "线扫相机配边缘推理盒，涂布机出口逐米检测极片漏箔、划痕和气泡，缺陷图片回传 MES。",
            "pricing_plan": "annual", "price_fen": 9_800_000, "delivery_days": 45, "deployments": ["edge"],
            "industries": ["new_energy"], "scenarios": ["online_inspection"]}


def test_offering_created_and_published_through_the_api_is_found_by_search(seeded):
    """Is an offering created by API a draft search does not find, and found by its words once published?"""
    client = seeded.app.test_client()
    with seeded.app.app_context():
        vendor = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["vendor"]))
        secret = issue_token(vendor, ("read", "listings"), name="search-journey")
    query = {"q": "量子猫眼 QX-7 极片漏箔", "kind": "offering"}
    created = client.post("/api/v1/offerings", headers=bearer(secret), json=OFFERING)
    assert created.status_code == 201
    offering_id = created.get_json()["id"]
    try:
        found = client.get("/api/v1/search", query_string=query).get_json()["items"]
        assert offering_id not in {item["id"] for item in found}
        published = client.post(f"/api/v1/offerings/{offering_id}/transitions/publish", headers=bearer(secret),
                                json={})
        assert published.status_code == 200 and published.get_json()["state"] == "published"
        found = client.get("/api/v1/search", query_string=query).get_json()["items"]
        assert found and found[0]["kind"] == "offering" and found[0]["id"] == offering_id
        listed = client.get("/api/v1/offerings", query_string={"q": "量子猫眼 QX-7"}).get_json()["items"]
        assert offering_id in {item["id"] for item in listed}
    finally:  # the seeded app is shared by the worker's tests: take the offering off again
        client.post(f"/api/v1/offerings/{offering_id}/transitions/delist", headers=bearer(secret), json={})
