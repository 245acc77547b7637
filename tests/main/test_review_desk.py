"""The review desk: one page and one navigation badge over every queue a user works, read from one registry."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from marketplace.accounts.models import User
from marketplace.cases.directory import decide
from marketplace.extensions import db
from marketplace.main.worklists import worklist
from tests.factories import make_org, make_profile

DESK = 'href="/review"'


def nav_of(client) -> str:
    return client.get("/").get_data(as_text=True).split('<main class="wrap"')[0]


@pytest.mark.parametrize("role", [None, "enterprise", "vendor"])
def test_people_without_a_queue_see_no_desk(client, auth, role):
    if role:
        auth.as_role(role)
    assert DESK not in nav_of(client)
    response = client.get("/review")
    assert response.status_code == (302 if role is None else 403)


def test_a_center_sees_what_waits_and_the_badge_counts_it(app, client, auth, time_machine):
    center = auth.as_role("center")
    with app.app_context():
        user = db.session.get(User, center.user_id)
        profiles = [make_profile(make_org("vendor")) for _ in range(2)]
        decide(profiles[0], "add", "服务案例扎实", user, review_on=date.today() + timedelta(days=10))
        decide(profiles[1], "add", "服务案例扎实", user, review_on=date.today() + timedelta(days=40))
        db.session.commit()
    nav = nav_of(client)
    assert DESK in nav and "count-reviews" not in nav
    assert "暂无待办" in client.get("/review").get_data(as_text=True)
    time_machine.move_to(date.today() + timedelta(days=20))
    nav = nav_of(client)
    assert 'class="count count-reviews"' in nav and ">1</span>" in nav.split("count-reviews")[1][:120]
    page = client.get("/review").get_data(as_text=True)
    assert 'href="/cases/directory"' in page and "1 项待处理" in page.split('href="/cases/directory"')[1][:400]


def test_a_queue_name_is_registered_once():
    with pytest.raises(ValueError):
        worklist("directory_reviews", label="x", description="x", endpoint="cases.directory",
                 permission="directory.manage")(lambda user, cap: 0)


def test_the_seeded_centers_desks_count_what_waits_in_their_regions(app, client, auth):
    """Zhuhai's center has catalogue applications, moderation and quota applications waiting; Foshan's (the demo
    SME's region) a redemption."""
    from sqlalchemy import select

    from marketplace.accounts.models import Organisation
    from marketplace.main.worklists import waiting_for
    from seed.loader import load

    with app.app_context():
        load()
        db.session.commit()
        counts = {}
        for city in ("zhuhai", "foshan"):
            center = db.session.scalars(select(User).join(Organisation).where(Organisation.kind == "center",
                                                                              Organisation.city == city)).first()
            counts[city] = {w.name: n for w, n in waiting_for(center, 99)}
    assert counts["zhuhai"]["voucher_catalogue"] >= 1 and counts["zhuhai"]["moderation"] >= 1
    assert counts["zhuhai"]["quota_applications"] >= 1
    assert counts["foshan"]["redemptions"] >= 1 and counts["zhuhai"]["redemptions"] == 0
    with app.app_context():
        lab = db.session.scalars(select(User).where(User.email == "lab@demo.moshu.cn")).one()
        lab_counts = {w.name: n for w, n in waiting_for(lab, 99)}
    assert lab_counts == {"attestations": 1}
