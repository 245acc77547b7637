"""Does a vendor's leads inbox gather, across its listings, the needs the search engine finds for each one, ranked by
the calibrated relevance, at a cost that does not grow with the needs, with seen marks and proposals from there?"""
from __future__ import annotations

import re

from sqlalchemy import delete, select

from marketplace.accounts.models import User
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.leads.models import LeadSeen
from marketplace.leads.services import leads_inbox, listing_key, need_filter, own_listings
from marketplace.matching.relevance import label
from marketplace.matching.services import leads_for_listings
from marketplace.needs.models import Need
from marketplace.notifications.models import Notification
from marketplace.proposals.models import Proposal
from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.perf_helpers import count_statements


def vendor(seeded) -> User:
    """The demo vendor (inside an app context)."""
    return db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["vendor"]))


def signed_in(seeded, role: str):
    """A client signed in as a demo account."""
    client = seeded.app.test_client()
    response = client.post("/accounts/login", data={"email": DEMO_ACCOUNTS[role], "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def shown_needs(html: str) -> list[int]:
    """The need ids of the inbox's rows, in their order."""
    return [int(n) for n in re.findall(r'class="listing-card lead[^"]*" data-need="(\d+)"', html)]


def test_each_need_is_one_lead_ranked_by_its_best_listing(seeded):
    """Every need any of the vendor's listings finds is one row, ranked by the best relevance any listing gives
    it, with that listing's calibrated label; every listing named is the vendor's own."""
    with seeded.app.test_request_context():
        user = vendor(seeded)
        listings = own_listings(user.organisation_id)
        per_listing = leads_for_listings(listings, need_filter(user, {}), seeded.app.config["LEADS_PER_LISTING"])
        best: dict[int, float] = {}
        for matches in per_listing.values():
            for m in matches:
                best[m.record.id] = max(best.get(m.record.id, 0.0), m.relevance)
        leads = leads_inbox(user, {})
        assert len(leads) >= 3 and len({lead.need.id for lead in leads}) == len(leads)
        assert {lead.need.id: lead.relevance for lead in leads} == best
        assert [lead.relevance for lead in leads] == sorted(best.values(), reverse=True)
        assert all(lead.label == label(lead.relevance) for lead in leads)
        assert any(len(lead.matches) > 1 for lead in leads)
        assert {pair.listing.organisation_id for lead in leads for pair in lead.matches} == {user.organisation_id}


def test_the_inbox_costs_the_same_statements_for_few_or_many_leads(seeded):
    """Asking each listing for one need or for twenty sends the same statements: no query per need."""
    app = seeded.app
    with app.test_request_context():
        user = vendor(seeded)
        leads_inbox(user, {})  # the index is loaded
        counts = {}
        for per_listing in (1, 20):
            app.config["LEADS_PER_LISTING"] = per_listing
            with count_statements(app) as log:
                found = len(leads_inbox(user, {}))
            counts[per_listing] = (found, log.count)
        app.config["LEADS_PER_LISTING"] = 20
    assert counts[1][0] < counts[20][0]
    assert counts[1][1] == counts[20][1], counts


def test_the_listing_filter_keeps_one_listings_leads_and_ignores_another_vendors(seeded):
    """Filtering by one listing shows its leads only; naming another vendor's listing filters nothing."""
    with seeded.app.test_request_context():
        user = vendor(seeded)
        offering = next(item for item in own_listings(user.organisation_id) if isinstance(item, Offering))
        key = listing_key(offering)
        foreign = db.session.scalar(select(Offering).where(Offering.organisation_id != user.organisation_id))
        foreign_key = listing_key(foreign)
        everything = [lead.need.id for lead in leads_inbox(user, {})]
        only = [lead.need.id for lead in leads_inbox(user, {"listing": key})]
    client = signed_in(seeded, "vendor")
    assert shown_needs(client.get("/leads").get_data(as_text=True))[:12] == everything[:12]
    assert shown_needs(client.get(f"/leads?listing={key}").get_data(as_text=True)) == only[:12]
    assert set(only) < set(everything)
    assert shown_needs(client.get(f"/leads?listing={foreign_key}").get_data(as_text=True)) == everything[:12]


def test_recency_puts_the_newest_need_first(seeded):
    """Sorting by recency lists the same leads, newest need first."""
    client = signed_in(seeded, "vendor")
    by_relevance = shown_needs(client.get("/leads").get_data(as_text=True))
    by_recency = shown_needs(client.get("/leads?sort=recent").get_data(as_text=True))
    with seeded.app.app_context():
        posted = {n.id: (n.created_at, n.id) for n in db.session.scalars(select(Need).where(Need.id.in_(by_recency)))}
    assert sorted(by_relevance) == sorted(by_recency)
    assert by_recency == sorted(by_recency, key=lambda i: posted[i], reverse=True)


def test_the_dashboard_does_not_wait_for_the_leads_count(seeded, monkeypatch):
    """Counting unseen leads asks the index once per listing (seconds for a vendor with 1,336 listings at province
    scale): the dashboard loads that sentence after the page, as the navigation's badge does."""
    from marketplace.leads import services as lead_services

    def no_ranking(*args, **kwargs):
        raise AssertionError("the dashboard ranked leads")

    client = signed_in(seeded, "vendor")
    monkeypatch.setattr(lead_services, "leads_for_listings", no_ranking)
    page = client.get("/dashboard")
    assert page.status_code == 200 and 'hx-get="/leads/unseen?part=dashboard"' in page.get_data(as_text=True)


def test_marking_seen_leaves_the_unseen_list_and_the_count(seeded):
    """A lead marked seen leaves "unseen only" and the counts of the navigation and the dashboard at once."""
    client = signed_in(seeded, "vendor")
    try:
        unseen = shown_needs(client.get("/leads?unseen=y").get_data(as_text=True))
        badge = client.get("/leads/unseen").get_data(as_text=True)
        assert f">{len(unseen)}</span>" in badge
        assert 'hx-get="/leads/unseen?part=dashboard"' in client.get("/dashboard").get_data(as_text=True)
        sentence = client.get("/leads/unseen?part=dashboard").get_data(as_text=True)
        assert 'href="/leads?unseen=y"' in sentence and f"{len(unseen)} " in sentence
        client.post("/leads/seen", data={"need": str(unseen[0]), "next": "/leads"})
        after = shown_needs(client.get("/leads?unseen=y").get_data(as_text=True))
        assert unseen[0] not in after and len(after) == len(unseen) - 1
        assert unseen[0] in shown_needs(client.get("/leads").get_data(as_text=True))
        client.post("/leads/seen", data={"need": [str(n) for n in after]})
        assert shown_needs(client.get("/leads?unseen=y").get_data(as_text=True)) == []
        assert "count-leads" not in client.get("/leads/unseen").get_data(as_text=True)
        assert 'href="/leads?unseen=y"' not in client.get("/leads/unseen?part=dashboard").get_data(as_text=True)
    finally:
        with seeded.app.app_context():
            db.session.execute(delete(LeadSeen))
            db.session.commit()


def test_propose_opens_the_proposal_form_with_the_matching_offering_ticked(seeded):
    """A lead's "propose" link carries the matching offering; the form ticks it, and never another vendor's."""
    client = signed_in(seeded, "vendor")
    html = client.get("/leads").get_data(as_text=True)
    link = re.search(r'href="(/proposals/needs/(\d+)/new\?offering=(\d+)[^"]*)"', html)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(rf'<input[^>]*checked[^>]*value="{link.group(3)}"|<input[^>]*value="{link.group(3)}"[^>]*checked',
                     form)
    with seeded.app.app_context():
        mine = vendor(seeded).organisation_id
        foreign = db.session.scalar(select(Offering.id).where(Offering.organisation_id != mine))
    plain = client.get(f"/proposals/needs/{link.group(2)}/new?offering={foreign}").get_data(as_text=True)
    assert "checked" not in plain


def test_an_invitation_shows_as_sent_on_the_need_and_with_its_message_in_the_inbox(seeded):
    """After inviting, the SME's solutions show that vendor as invited (disabled, dated), a repeat is friendly, and
    the vendor's inbox shows the message with the lead."""
    with seeded.app.test_request_context():
        user = vendor(seeded)
        lead_ids = {lead.need.id for lead in leads_inbox(user, {}) if lead.proposal is None and lead.invitation is None}
        need = db.session.scalar(select(Need).where(Need.id.in_(lead_ids), Need.status == "open").order_by(Need.id))
        assert need is not None, "an open need the demo vendor's listings answer, without its proposal yet"
        need_id, vendor_org = need.id, user.organisation_id
        owner = db.session.scalar(select(User.email).where(User.organisation_id == need.organisation_id))
        existing = set(db.session.scalars(select(Proposal.id)))
    sme = seeded.app.test_client()
    assert sme.post("/accounts/login", data={"email": owner, "password": DEMO_PASSWORD}).status_code == 302
    try:
        before = sme.get(f"/needs/{need_id}/solutions").get_data(as_text=True)
        shown_vendor = int(re.search(r'name="vendor_id" value="(\d+)"', before).group(1))
        for invitee, message in ((shown_vendor, "请报一个试点方案"), (vendor_org, "欢迎来厂里看窑炉")):
            response = sme.post(f"/proposals/needs/{need_id}/invite",
                                data={"vendor_id": str(invitee), "message": message})
            assert response.status_code == 302
        after = sme.get(f"/needs/{need_id}/solutions").get_data(as_text=True)
        assert f'name="vendor_id" value="{shown_vendor}"' not in after
        assert re.search(r"<button[^>]*disabled>已邀请（\d{4}-\d\d-\d\d）", after)
        assert sme.post(f"/proposals/needs/{need_id}/invite", data={"vendor_id": str(vendor_org)}).status_code == 302
        inbox = signed_in(seeded, "vendor").get("/leads").get_data(as_text=True)
        row = inbox.split(f'data-need="{need_id}"')[1].split("</article>")[0]
        assert "欢迎来厂里看窑炉" in row
    finally:
        with seeded.app.app_context():
            made = set(db.session.scalars(select(Proposal.id))) - existing
            db.session.execute(delete(Notification).where(Notification.dedupe_key.in_(
                [f"proposal:{pk}:invited" for pk in made])))
            db.session.execute(delete(Proposal).where(Proposal.id.in_(made)))
            db.session.commit()
