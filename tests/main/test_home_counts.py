"""The home page's headline counts: one definition (the kinds' selectors), kept by each worker for a minute."""
from __future__ import annotations

import time

from flask_login import AnonymousUserMixin

from marketplace.accounts.models import User
from marketplace.cases.services import browse_cases
from marketplace.main.services import marketplace_counts
from tests.factories import make_need, make_offering, make_user


def test_each_worker_keeps_the_counts_for_a_while_apart_for_visitors_and_signed_in_users(app):
    app.config["HOME_COUNTS_SECONDS"] = 0.5
    with app.test_request_context():
        vendor, sme = make_user("vendor"), make_user("enterprise")
        make_offering(vendor.organisation)
        make_need(sme.organisation, visibility="registered")
        visitor = AnonymousUserMixin()
        first_visitor, first_member = marketplace_counts(visitor), marketplace_counts(sme)
        assert first_member["needs"] == first_visitor["needs"] + 1  # a registered need: members only
        make_offering(vendor.organisation)
        assert marketplace_counts(visitor) == first_visitor  # kept: no count on this view
        time.sleep(0.6)
        assert marketplace_counts(visitor)["offerings"] == first_visitor["offerings"] + 1
        assert marketplace_counts(sme)["offerings"] == first_member["offerings"] + 1


def test_without_keeping_every_view_counts(app):
    app.config["HOME_COUNTS_SECONDS"] = 0
    with app.test_request_context():
        vendor = make_user("vendor")
        before = marketplace_counts(None)["offerings"]
        make_offering(vendor.organisation)
        assert marketplace_counts(None)["offerings"] == before + 1


def test_the_home_page_lists_the_newest_needs_a_visitor_may_read(app, client):
    with app.app_context():
        sme = make_user("enterprise")
        public = make_need(sme.organisation, title="最新公开需求 冲压件检测")
        make_need(sme.organisation, title="仅注册用户可见的需求", visibility="registered")
        public_id = public.id
    page = client.get("/").get_data(as_text=True)
    assert "最新公开需求 冲压件检测" in page and f"/needs/{public_id}" in page
    assert "仅注册用户可见的需求" not in page


def test_a_whole_list_is_counted_as_the_home_page_counts_it(app, client):
    """An unfiltered list page takes its total from the home page's (kept) count of the same records, so both must
    select the same records: every list page, as a visitor and as a member, on the demo seed."""
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.kinds import get_kind
    from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD, load

    with app.app_context():
        load()
        db.session.commit()
        member = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["enterprise"]))
        for user in (AnonymousUserMixin(), member):
            for name in ("offering", "model", "provider", "need"):
                kind = get_kind(name)
                listed = db.session.scalar(select(func.count()).select_from(kind.browse({}, user).subquery()))
                assert listed == marketplace_counts(user)[kind.collection] > 0, (name, user)
            cases = db.session.scalar(select(func.count()).select_from(browse_cases({}).subquery()))
            assert cases == marketplace_counts(user)["cases"] > 0
    page = client.get("/api/v1/offerings").get_json()
    with app.app_context():
        assert page["total"] == marketplace_counts(None)["offerings"]
    client.post("/accounts/login", data={"email": DEMO_ACCOUNTS["enterprise"], "password": DEMO_PASSWORD})
    assert client.get("/needs/").status_code == 200
