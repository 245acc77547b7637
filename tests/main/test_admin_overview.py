"""The admin's dashboard: counts of a known world (by the site's existing definitions), money moved this month,
the newest accounts and the review desk's queues; the accounts page's search, filters and paging."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.main.services import marketplace_counts
from marketplace.orders.receipts import record_payment
from marketplace.orders.services import cancel, place_order
from tests.factories import make_need, make_offering, make_org, make_user

pytestmark = pytest.mark.usefixtures("frozen_clock")


def figure(page: str, attribute: str, value: str) -> int:
    """The number shown in the element carrying data-<attribute>="<value>"."""
    found = re.search(rf'data-{attribute}="{re.escape(value)}">([\d,]+)<', page)
    assert found, value
    return int(found.group(1).replace(",", ""))


def org_row(page: str, kind: str) -> tuple[int, int]:
    """(verified, unverified) of one organisation kind's row."""
    row = re.search(rf'<tr data-kind="{kind}">.*?<td class="num">(\d+)</td><td class="num">(\d+)</td></tr>', page)
    assert row, kind
    return int(row.group(1)), int(row.group(2))


@pytest.fixture
def world(app):
    """Three vendors (one unverified), two SMEs (one unverified, one with a deactivated colleague), an admin;
    three published offerings and one draft; two open needs; orders: one paid this month, one paid last month,
    one cancelled, one placed."""
    with app.app_context():
        admin = make_user("admin")
        vendors = [make_user("vendor"), make_user("vendor"), make_user("vendor", verified_at=None)]
        sme = make_user("enterprise")
        make_user("enterprise", verified_at=None)
        idle = User(email="idle@test.example.cn", name="停用账号", password_hash="x", organisation=sme.organisation,
                    is_active_flag=False)
        db.session.add(idle)
        offerings = [make_offering(vendors[0].organisation, price_fen=price) for price in (10_000_00, 2_500_50)]
        offerings.append(make_offering(vendors[1].organisation, price_fen=80_00))
        make_offering(vendors[1].organisation, state="draft")
        make_need(sme.organisation)
        make_need(sme.organisation, title="注塑件飞边检测")
        now = datetime.now(UTC)
        this_month, earlier = place_order(sme, offerings[0], 1, "a")[0], place_order(sme, offerings[1], 2, "b")[0]
        record_payment(this_month.id, vendors[0], this_month.payable_fen, "CMB-1", "k1", when=now)
        record_payment(earlier.id, vendors[0], earlier.payable_fen, "CMB-2", "k2", when=now - timedelta(days=40))
        cancel(place_order(sme, offerings[2], 1, "c")[0].id, sme)
        place_order(sme, offerings[2], 3, "d")
        db.session.commit()
        return {"admin": admin.email, "sme": sme.email, "vendor": vendors[0].email,
                "paid_this_month": this_month.payable_fen, "counts": marketplace_counts(admin)}


def test_the_admin_sees_counts_of_the_world(client, auth, world):
    """Do organisations, accounts, listings, needs, orders and this month's money match the world built?"""
    auth.login(world["admin"])
    page = client.get("/dashboard").get_data(as_text=True)
    assert org_row(page, "vendor") == (2, 1)
    assert org_row(page, "enterprise") == (1, 1)
    assert org_row(page, "platform") == (1, 0)
    assert figure(page, "count", "users-active") == 6 and figure(page, "count", "users-inactive") == 1
    assert figure(page, "count", "offerings") == 3 and figure(page, "count", "needs") == 2
    assert {k: figure(page, "count", k) for k in world["counts"]} == world["counts"]
    assert [figure(page, "count", f"order-{s}") for s in ("placed", "paid", "fulfilled", "refunded", "cancelled")] \
        == [1, 2, 0, 0, 1]
    money = re.search(r'<dd data-fen="(\d+)">', page)
    assert int(money.group(1)) == world["paid_this_month"]


def test_the_home_page_shows_the_same_counts(client, auth, world):
    """Does the admin's home page give the same number of open needs and offerings as the dashboard?"""
    auth.login(world["admin"])
    home = client.get("/").get_data(as_text=True)
    assert f"<strong>{world['counts']['needs']}</strong>" in home
    assert f"<strong>{world['counts']['offerings']}</strong>" in home


def test_recent_sign_ups_are_the_ten_newest_with_organisation_and_role(app, client, auth, world):
    """Are the newest ten accounts listed, newest first, with their organisation and role in words?"""
    with app.app_context():
        for i in range(11):
            make_user("vendor", email=f"new{i:02d}@vendor.example.cn", commit=False)
        db.session.commit()
    auth.login(world["admin"])
    page = client.get("/dashboard").get_data(as_text=True)
    table = re.search(r'<table class="table recent-sign-ups">(.*?)</table>', page, re.S).group(1)
    emails = re.findall(r"<td>([\w.]+@[\w.]+)</td>", table)
    assert emails == [f"new{i:02d}@vendor.example.cn" for i in range(10, 0, -1)]
    assert "服务商" in table or "Service provider" in table


def test_the_review_desk_queues_are_linked_with_their_counts(client, auth, world):
    """Does the overview link each review desk queue the admin works, with its waiting count?"""
    auth.login(world["admin"])
    page = client.get("/dashboard").get_data(as_text=True)
    desk = client.get("/review").get_data(as_text=True)
    queues = re.findall(r'<a href="([^"]+)"><strong>', desk)
    assert queues and all(f'<a href="{url}"><strong>' in page for url in queues)
    waiting = re.findall(r'<span class="worklist-count">([^<]*)</span>', desk)
    assert waiting == re.findall(r'<span class="worklist-count" data-queue="\w+">([^<]*)</span>', page)


@pytest.mark.parametrize("role", ["enterprise", "vendor", "center"])
def test_only_admins_get_the_overview(client, auth, world, role):
    """Do an SME, a vendor and a center see no platform overview on their dashboard?"""
    auth.as_role(role)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "admin-overview" not in page and "recent-sign-ups" not in page


def test_accounts_are_found_by_credit_code(app, client, auth):
    """Is an account found by part of its organisation's unified social credit code?"""
    with app.app_context():
        org = make_org("vendor", credit_code="91440300MA5FXYZ12Q")
        db.session.add(User(email="coded@vendor.example.cn", name="编码", password_hash="x", organisation=org))
        make_user("vendor", email="other@vendor.example.cn")
        db.session.commit()
    auth.as_role("admin")
    page = client.get("/accounts/admin/accounts", query_string={"q": "MA5FXYZ"}).get_data(as_text=True)
    assert "coded@vendor.example.cn" in page and "other@vendor.example.cn" not in page


def test_accounts_are_filtered_by_role_and_status(app, client, auth):
    """Do the role and status filters narrow the list, together and with a search?"""
    with app.app_context():
        sme = make_user("enterprise", email="active@sme.example.cn")
        db.session.add(User(email="idle@sme.example.cn", name="停用", password_hash="x", organisation=sme.organisation,
                            is_active_flag=False))
        make_user("vendor", email="seller@vendor.example.cn")
        db.session.commit()
    auth.as_role("admin")

    def listed(**args) -> set[str]:
        page = client.get("/accounts/admin/accounts", query_string=args).get_data(as_text=True)
        return set(re.findall(r"<td>([\w.]+@[\w.]+)</td>", page))

    assert listed(role="enterprise") == {"active@sme.example.cn", "idle@sme.example.cn"}
    assert listed(role="enterprise", active="0") == {"idle@sme.example.cn"}
    assert listed(active="1", q="sme.example") == {"active@sme.example.cn"}
    admins = listed(role="admin")
    assert admins and not admins & {"active@sme.example.cn", "seller@vendor.example.cn"}
    assert "seller@vendor.example.cn" in listed(role="nonsense")


def test_paging_keeps_the_filters(app, client, auth):
    """Does page 2 of a filtered list hold the rest of that filter's accounts, and its links keep the filter?"""
    with app.app_context():
        for i in range(53):
            make_user("vendor", email=f"v{i:02d}@vendor.example.cn", commit=False)
        make_user("enterprise", email="buyer@sme.example.cn")
    auth.as_role("admin")
    first = client.get("/accounts/admin/accounts", query_string={"role": "vendor"}).get_data(as_text=True)
    assert "role=vendor" in re.search(r'<nav class="pagination".*?</nav>', first, re.S).group(0)
    second = client.get("/accounts/admin/accounts", query_string={"role": "vendor", "page": 2}).get_data(as_text=True)
    on_first = set(re.findall(r"<td>(v\d\d@vendor\.example\.cn)</td>", first))
    on_second = set(re.findall(r"<td>(v\d\d@vendor\.example\.cn)</td>", second))
    assert len(on_first) == 50 and len(on_second) == 3 and not on_first & on_second
    assert "buyer@sme.example.cn" not in first + second
