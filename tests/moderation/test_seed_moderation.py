"""The demo data shows moderation working: the Zhuhai center's queue holds a new SME's need under review and a
reported need; Foshan runs post-moderation."""
from __future__ import annotations

from seed.loader import DEMO_ACCOUNTS, DEMO_PASSWORD
from seed.moderation import HELD_NEED


def test_the_demo_center_finds_a_held_need_and_a_report_in_its_queue(app, runner, client):
    """After `flask seed`, the demo (Zhuhai) center's queue lists the unverified SME's held need and the
    vendor's report, and shows Foshan's post-moderation; no seed text raised an automatic flag."""
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.moderation.models import RegionModeration, Report

    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        reasons = sorted(r.reason for r in db.session.scalars(select(Report)))
        assert reasons == ["false", "unverified"]
        assert db.session.get(RegionModeration, "foshan").mode == "post"
    client.post("/accounts/login", data={"email": DEMO_ACCOUNTS["center"], "password": DEMO_PASSWORD})
    page = client.get("/moderation/").get_data(as_text=True)
    assert HELD_NEED["title"] in page and page.count('<td class="num">1</td>') == 2
    assert HELD_NEED["title"] not in client.get("/needs/").get_data(as_text=True)
