"""Do the dashboards and long working lists show a page at a time, each list paged on its own?"""
from __future__ import annotations

import re

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from tests.factories import make_case, make_model, make_need, make_offering, make_user
from tests.perf_helpers import count_statements


def titles(page: str, prefix: str) -> list[str]:
    """The titles starting with a prefix, in page order."""
    return re.findall(rf">({prefix}\d+)<", page)


def test_a_vendors_dashboard_pages_each_list_on_its_own(app, client, auth):
    """25 offerings and 3 models: page 1 shows 20 offerings, ?offerings_page=2 the other 5, the models stay put."""
    who = auth.as_role("vendor")
    with app.app_context():
        org = db.session.get(Organisation, who.org_id)
        for i in range(25):
            make_offering(org, title=f"服务{i:02d}", commit=False)
        for i in range(3):
            make_model(org, name=f"模型{i}", commit=False)
        db.session.commit()
    first = client.get("/dashboard").get_data(as_text=True)
    second = client.get("/dashboard?offerings_page=2").get_data(as_text=True)
    assert len(titles(first, "服务")) == 20 and len(titles(second, "服务")) == 5
    assert set(titles(first, "服务")).isdisjoint(titles(second, "服务"))
    assert len(titles(first, "模型")) == 3 == len(titles(second, "模型"))
    assert 'href="/dashboard?offerings_page=2"' in first


def test_a_dashboard_page_costs_the_same_for_a_small_or_a_large_organisation(app, client, auth):
    """An SME with 3 needs or 60 needs: the dashboard sends the same statements (one page, counted in SQL)."""
    who = auth.as_role("enterprise")

    def add(n: int) -> None:
        """Post n more needs for the SME."""
        with app.app_context():
            org = db.session.get(Organisation, who.org_id)
            for i in range(n):
                make_need(org, title=f"需求{i}", commit=False)
            db.session.commit()

    add(3)
    with count_statements(app) as small:
        client.get("/dashboard")
    add(57)
    with count_statements(app) as large:
        page = client.get("/dashboard").get_data(as_text=True)
    assert small.count == large.count
    assert len(titles(page, "需求")) == 20


def test_a_centers_case_list_pages(app, client, auth):
    """A center with 55 cases sees 50 on its case list and the rest on page 2."""
    who = auth.as_role("center")
    with app.app_context():
        org = db.session.get(Organisation, who.org_id)
        for i in range(55):
            make_case(org, title=f"案例{i:02d}", commit=False)
        db.session.commit()
    assert len(titles(client.get("/cases/manage").get_data(as_text=True), "案例")) == 50
    assert len(titles(client.get("/cases/manage?page=2").get_data(as_text=True), "案例")) == 5


def test_admins_find_accounts_by_email_or_name_a_page_at_a_time(app, client, auth):
    """The accounts list pages by 50 and finds accounts by part of an e-mail, a name or an organisation name."""
    auth.as_role("admin")
    with app.app_context():
        for i in range(55):
            make_user("enterprise", email=f"sme{i:02d}@factory.example.cn", commit=False)
        make_user("vendor", email="zhang.wei@vision.example.cn")
        target = db.session.scalar(db.select(User).where(User.email == "zhang.wei@vision.example.cn"))
        target.name, org_name = "张伟", target.organisation.name
        db.session.commit()
    everyone = client.get("/accounts/admin/accounts").get_data(as_text=True)
    assert everyone.count("@factory.example.cn") + everyone.count("@vision.example.cn") + \
        everyone.count("@test.example.cn") == 50
    for query in ("zhang.wei", "ZHANG.WEI@VISION", "张伟", org_name):
        found = client.get("/accounts/admin/accounts", query_string={"q": query}).get_data(as_text=True)
        assert "zhang.wei@vision.example.cn" in found and "@factory.example.cn" not in found, query
    literal_percent = client.get("/accounts/admin/accounts", query_string={"q": "%"}).get_data(as_text=True)
    assert "@factory.example.cn" not in literal_percent and "@vision.example.cn" not in literal_percent
