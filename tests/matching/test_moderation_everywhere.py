"""A need a moderator hides disappears from search, leads, digests, the lists and the API at once; restoring it
brings it back (issue #13, item 6)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.matching.documents import doc_id
from marketplace.needs.models import Need
from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.matching.test_matching_app import offering_id


def places_holding(seeded, need_id: int, vendor_email: str, listing_id: int, title: str) -> set[str]:
    """Every public place that shows the need now: search, leads, digests, the needs page, the API, the index."""
    from marketplace.matching.services import leads_for_listing, search
    from marketplace.needs.selectors import needs_for_leads
    from marketplace.notifications.digests import send_need_digests
    from marketplace.notifications.models import NeedAlert

    found = set()
    visitor = seeded.app.test_client()
    with seeded.app.app_context():
        vendor = db.session.scalar(select(User).where(User.email == vendor_email))
        if any(m.record.id == need_id for m in search(title, {"kind": "need"}, vendor).matches):
            found.add("search")
        if any(m.record.id == need_id for m in leads_for_listing(db.session.get(Offering, listing_id), vendor)):
            found.add("leads")
        if need_id in set(db.session.scalars(needs_for_leads(date.today(), 30).with_only_columns(Need.id))):
            found.add("lead selector")
        alert = NeedAlert(vendor_id=vendor.organisation_id, need_id=need_id, similarity=0.9)
        db.session.add(alert)
        db.session.flush()
        if send_need_digests(date.today(), vendor_ids=[vendor.organisation_id]) and alert.sent_at is not None:
            found.add("digest")
        db.session.rollback()  # the probe leaves no alert or notification behind
        if doc_id("need", need_id) in seeded.app.extensions["matching"].index():
            found.add("index")
    if f'/needs/{need_id}"' in visitor.get("/needs/", query_string={"q": title}).get_data(as_text=True):
        found.add("needs page")
    if visitor.get(f"/api/v1/needs/{need_id}").status_code == 200:
        found.add("api record")
    if any(item["id"] == need_id for item in visitor.get("/api/v1/needs", query_string={"limit": 100}).get_json()
           ["items"]):
        found.add("api list")
    if any(item["kind"] == "need" and item["id"] == need_id for item in
           visitor.get("/api/v1/search", query_string={"q": title, "kind": "need"}).get_json()["items"]):
        found.add("api search")
    return found


def test_a_hidden_need_disappears_from_search_leads_digests_and_the_api_at_once(seeded):
    """One moderator's "hide" takes a public need out of search, a vendor's leads, the digest, the needs page and
    the API on the very next request, and out of the index; "restore" brings it back everywhere."""
    with seeded.app.app_context():
        pk = offering_id(seeded, "oa_jingmu_aoi_box")
        offering = db.session.get(Offering, pk)
        vendor = db.session.scalar(select(User).where(User.organisation_id == offering.organisation_id))
        from marketplace.matching.services import leads_for_listing

        lead = next(m.record for m in leads_for_listing(offering, vendor) if m.record.visibility == "public")
        need_id, title, vendor_email = lead.id, lead.title, vendor.email
    everywhere = places_holding(seeded, need_id, vendor_email, pk, title)
    assert everywhere >= {"search", "leads", "lead selector", "digest", "index", "needs page", "api record",
                          "api search"}, everywhere

    admin = seeded.app.test_client()
    admin.post("/accounts/login", data={"email": DEMO_ACCOUNTS["admin"], "password": DEMO_PASSWORD})
    try:
        assert admin.post(f"/moderation/need/{need_id}/hide", data={"reason": "联系方式违规"}).status_code == 302
        assert places_holding(seeded, need_id, vendor_email, pk, title) == set()
    finally:
        assert admin.post(f"/moderation/need/{need_id}/restore", data={"reason": "已整改"}).status_code == 302
    assert places_holding(seeded, need_id, vendor_email, pk, title) == everywhere
