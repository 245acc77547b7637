"""Does the leads inbox merge each listing's needs into one row per need, ranked, and keep seen marks per vendor?"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.leads.models import LeadSeen
from marketplace.leads.services import mark_seen, merge_leads, seen_need_ids, sort_leads
from marketplace.matching.services import Match
from tests.factories import make_need, make_user


def need(pk: int, day: int):
    """A stand-in need posted on a day of March 2026."""
    return SimpleNamespace(id=pk, created_at=datetime(2026, 3, day))


def test_each_need_is_one_lead_with_every_listing_that_matches_it_best_first():
    """Two listings matching the same need make one lead, ranked by its best listing; its listings best first."""
    a, b, c = need(1, 1), need(2, 2), need(3, 3)
    offering, model = SimpleNamespace(id=10, title="AOI"), SimpleNamespace(id=20, title="缺陷模型")
    found = {"offering:10": [Match("need", a, 0.55), Match("need", b, 0.70)],
             "model:20": [Match("need", a, 0.82), Match("need", c, 0.40)]}
    leads = merge_leads(found, {"offering:10": offering, "model:20": model})
    assert [lead.need.id for lead in leads] == [1, 2, 3]
    first = leads[0]
    assert [pair.listing for pair in first.matches] == [model, offering]
    assert first.relevance == 0.82 and first.best is first.matches[0].match


def test_recency_orders_by_the_newest_need_and_equal_relevance_prefers_the_newer_need():
    """Sorting by recency puts the newest need first; a relevance tie goes to the newer need."""
    old, new, newest = need(1, 1), need(2, 5), need(3, 9)
    leads = merge_leads({"offering:1": [Match("need", old, 0.6), Match("need", new, 0.6), Match("need", newest, 0.3)]},
                        {"offering:1": SimpleNamespace(id=1)})
    assert [lead.need.id for lead in leads] == [2, 1, 3]
    assert [lead.need.id for lead in sort_leads(leads, "recent")] == [3, 2, 1]


def test_seen_marks_belong_to_the_vendor_organisation_not_to_other_vendors(in_app):
    """A lead one vendor's user marks seen is seen for a colleague of the same organisation, never for another
    vendor; marking it again adds nothing."""
    sme, vendor, other = make_user("enterprise"), make_user("vendor"), make_user("vendor")
    first, second = make_need(sme.organisation), make_need(sme.organisation, title="注塑件飞边检测")
    assert mark_seen(vendor, [first.id, 999_999]) == 1
    db.session.commit()
    assert mark_seen(vendor, [first.id, second.id]) == 1
    db.session.commit()
    assert seen_need_ids(vendor.organisation_id, [first.id, second.id]) == {first.id, second.id}
    assert seen_need_ids(other.organisation_id, [first.id, second.id]) == set()
    rows = db.session.scalars(select(LeadSeen).where(LeadSeen.organisation_id == vendor.organisation_id)).all()
    assert sorted(r.need_id for r in rows) == [first.id, second.id]


def test_only_vendors_have_a_leads_inbox(client, auth):
    """An SME, a promotion center and an admin are refused the inbox and the mark; a visitor is sent to sign in."""
    assert "/accounts/login" in client.get("/leads").headers["Location"]
    for role in ("enterprise", "center", "admin"):
        auth.as_role(role)
        assert client.get("/leads").status_code == 403
        assert client.get("/leads/unseen").status_code == 403
        assert client.post("/leads/seen", data={"need": "1"}).status_code == 403
        auth.logout()
