"""Reports, the moderation queue, decisions with reasons and history, and who may take them."""
from __future__ import annotations

from sqlalchemy import func, select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.moderation.models import ModerationDecision, Report
from marketplace.needs.models import Need
from marketplace.notifications.models import Notification
from marketplace.notifications.services import render_text
from tests.factories import make_need, make_offering, make_user


def sme_need(app, city: str = "foshan", **fields) -> tuple[int, str]:
    """An SME of the city with one public open need; return (need id, the SME user's e-mail)."""
    with app.app_context():
        sme = make_user("enterprise", city=city)
        return make_need(sme.organisation, **fields).id, sme.email


def report(client, need_id: int, reason: str = "spam", text: str = "同一内容发了三遍"):
    """Post a report about a need."""
    return client.post(f"/moderation/report/need/{need_id}", data={"reason": reason, "text": text})


def test_anyone_signed_in_reports_once_and_a_second_report_says_so(app, client, auth):
    """A vendor reports a need (it lands in the queue); reporting it again is refused with a message, and the
    report page itself says it was already reported."""
    need_id, _ = sme_need(app)
    auth.as_role("vendor")
    assert report(client, need_id).status_code == 302
    again = report(client, need_id)
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 1
        row = db.session.scalar(select(Report))
        assert (row.subject_kind, row.subject_id, row.reason, row.city) == ("need", need_id, "spam", "foshan")
    with client.session_transaction() as session:
        assert any(category == "info" for category, _ in session.get("_flashes", []))


def test_a_report_needs_a_reason(app, client, auth):
    """A report without a reason comes back with the form and an error; nothing is stored."""
    need_id, _ = sme_need(app)
    auth.as_role("vendor")
    assert client.post(f"/moderation/report/need/{need_id}", data={"text": "x"}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_visitors_and_the_owner_cannot_report(app, client, auth):
    """A visitor is sent to sign in; the SME cannot report its own need."""
    need_id, email = sme_need(app)
    assert "/accounts/login" in report(client, need_id).headers["Location"]
    auth.login(email)
    assert report(client, need_id).status_code == 403


def test_the_queue_groups_reports_per_item_for_the_centers_city_and_all_for_admins(app, client, auth):
    """Two reports on a Foshan need show as one row with 2; the Foshan center sees it, the Zhuhai center does not,
    an admin sees every city's items."""
    foshan_need, _ = sme_need(app, "foshan", title="佛山陶瓷需求甲")
    zhuhai_need, _ = sme_need(app, "zhuhai", title="珠海注塑需求乙")
    with app.app_context():
        reporters = [make_user("vendor").email, make_user("vendor").email]
    for email in reporters:
        auth.login(email)
        report(client, foshan_need)
        report(client, zhuhai_need)
        auth.logout()
    auth.as_role("center", city="foshan")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "佛山陶瓷需求甲" in page and "珠海注塑需求乙" not in page
    assert '<td class="num">2</td>' in page
    auth.logout()
    auth.as_role("center", city="zhuhai")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "珠海注塑需求乙" in page and "佛山陶瓷需求甲" not in page
    auth.logout()
    auth.as_role("admin")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "佛山陶瓷需求甲" in page and "珠海注塑需求乙" in page


def test_the_queue_is_for_moderators_only(client, auth):
    """SMEs and vendors are refused the queue."""
    for role in ("enterprise", "vendor"):
        auth.as_role(role)
        assert client.get("/moderation/").status_code == 403
        auth.logout()


def test_a_non_moderator_cannot_hide(app, client, auth):
    """A vendor, another SME and the promotion center of another city cannot hide a Foshan need."""
    need_id, _ = sme_need(app)
    for role, city in (("vendor", "foshan"), ("enterprise", "foshan"), ("center", "zhuhai")):
        auth.as_role(role, city=city)
        response = client.post(f"/moderation/need/{need_id}/hide", data={"reason": "x"})
        assert response.status_code == 403, role
        auth.logout()
    with app.app_context():
        assert db.session.get(Need, need_id).moderation == "visible"


def test_hiding_tells_the_owner_why_and_keeps_the_history(app, client, auth):
    """The center hides a need with a reason: it leaves the public list and its page (404 for others); the owner
    sees the reason on the page and in a notification; the item page and the audit log keep who, when, what, why."""
    need_id, email = sme_need(app, title="重复发布的需求")
    center = auth.as_role("center", city="foshan")
    report(client, need_id)  # a center may report too; the report is resolved by the decision
    assert client.post(f"/moderation/need/{need_id}/hide", data={"reason": "与另一条需求重复"}).status_code == 302
    item = client.get(f"/moderation/need/{need_id}").get_data(as_text=True)
    assert "与另一条需求重复" in item and center.email in item
    auth.logout()
    assert "重复发布的需求" not in client.get("/needs/").get_data(as_text=True)
    assert client.get(f"/needs/{need_id}").status_code == 404
    auth.as_role("vendor")
    assert client.get(f"/needs/{need_id}").status_code == 404
    auth.logout()
    auth.login(email)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert 'class="moderation-notice is-hidden"' in page and "与另一条需求重复" in page
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == email))
        notes = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
        assert any("与另一条需求重复" in render_text(n) for n in notes)
        decision = db.session.scalar(select(ModerationDecision))
        reason = "与另一条需求重复"
        assert (decision.action, decision.reason, decision.decided_by_id) == ("hide", reason, center.user_id)
        assert db.session.scalar(select(Report)).resolved_at is not None
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "moderation.hidden"))
        assert (audit.target_kind, audit.target_id, audit.detail["reason"]) == ("need", str(need_id), reason)


def test_restoring_brings_the_need_back(app, client, auth):
    """A hidden need restored with a reason is public again and its history lists both decisions in order."""
    need_id, _ = sme_need(app, title="可以恢复的需求")
    auth.as_role("admin")
    client.post(f"/moderation/need/{need_id}/hide", data={"reason": "待核实"})
    client.post(f"/moderation/need/{need_id}/restore", data={"reason": "已核实无误"})
    auth.logout()
    assert "可以恢复的需求" in client.get("/needs/").get_data(as_text=True)
    with app.app_context():
        assert [d.action for d in db.session.scalars(select(ModerationDecision).order_by(ModerationDecision.id))] \
            == ["hide", "restore"]


def test_a_decision_needs_a_reason(app, client, auth):
    """Hiding without a reason is refused with a message and changes nothing."""
    need_id, _ = sme_need(app)
    auth.as_role("admin")
    client.post(f"/moderation/need/{need_id}/hide", data={"reason": ""})
    with app.app_context():
        assert db.session.get(Need, need_id).moderation == "visible"
    with client.session_transaction() as session:
        assert any(category == "error" for category, _ in session.get("_flashes", []))


def test_closing_a_need_sets_it_closed_and_delisting_an_offering_delists_it(app, client, auth):
    """"Close" is each kind's own move: the need becomes closed, the offering delisted; both keep the reason."""
    need_id, _ = sme_need(app)
    with app.app_context():
        offering_id = make_offering(make_user("vendor", city="foshan").organisation).id
    auth.as_role("center", city="foshan")
    assert client.post(f"/moderation/need/{need_id}/close", data={"reason": "需求已失效"}).status_code == 302
    assert client.post(f"/moderation/offering/{offering_id}/close", data={"reason": "虚假宣传"}).status_code == 302
    with app.app_context():
        from marketplace.catalog.models import Offering

        assert db.session.get(Need, need_id).status == "closed"
        assert db.session.get(Offering, offering_id).state == "delisted"
        assert {(d.subject_kind, d.action, d.reason) for d in db.session.scalars(select(ModerationDecision))} == {
            ("need", "close", "需求已失效"), ("offering", "close", "虚假宣传")}


def test_dismissing_reports_leaves_the_item_public(app, client, auth):
    """A moderator who finds nothing wrong dismisses the reports: the queue empties, the need stays public."""
    need_id, _ = sme_need(app, title="被误报的需求")
    auth.as_role("vendor")
    report(client, need_id)
    auth.logout()
    auth.as_role("center", city="foshan")
    assert client.post(f"/moderation/need/{need_id}/dismiss", data={"reason": "内容正常"}).status_code == 302
    assert "被误报的需求" not in client.get("/moderation/").get_data(as_text=True)
    auth.logout()
    assert "被误报的需求" in client.get("/needs/").get_data(as_text=True)


def test_a_center_does_not_moderate_another_centers_items(app):
    """Promotion centers moderate their city's enterprises and vendors, not another center (admins do)."""
    from marketplace.permissions import can
    from tests.factories import make_case

    with app.app_context():
        center, other = make_user("center", city="foshan"), make_user("center", city="foshan")
        admin = make_user("admin")
        case = make_case(other.organisation)
        assert not can(center, "moderation.decide", case) and can(admin, "moderation.decide", case)
        need = make_need(make_user("enterprise", city="foshan").organisation)
        assert can(center, "moderation.decide", need)
        assert not can(db.session.get(User, make_user("center", city="zhuhai").id), "moderation.decide", need)
        assert db.session.get(Organisation, need.organisation_id).city == "foshan"


def test_the_transformation_map_counts_no_hidden_or_held_item(in_app):
    """A hidden need and a held offering count on the transformation map nowhere (cells, totals, funnel)."""
    from marketplace.analytics.aggregates import refresh_aggregates
    from marketplace.analytics.services import funnel, heatmap

    sme, vendor = make_user("enterprise").organisation, make_user("vendor").organisation
    make_need(sme, title="抛釉砖针孔检测")
    make_need(sme, title="被隐藏的陶瓷需求", moderation="hidden")
    make_offering(vendor, industries=["ceramics_building"], scenarios=["online_inspection"])
    make_offering(vendor, industries=["ceramics_building"], scenarios=["online_inspection"], moderation="held")
    db.session.commit()
    refresh_aggregates()
    tile = heatmap().cell("ceramics_building", "online_inspection")
    assert (tile.needs, tile.offerings) == (1, 1)
    assert dict(funnel().stages)["posted"] == 1


def test_a_hidden_offering_leaves_the_supermarket_and_its_vendor_reads_why(app, client, auth):
    """Hiding an offering takes it off /offerings and its page (404 for others); the vendor sees the reason."""
    with app.app_context():
        vendor = make_user("vendor", city="foshan")
        offering_id = make_offering(vendor.organisation, title="夸大效果的质检服务").id
        vendor_email = vendor.email
    assert "夸大效果的质检服务" in client.get("/offerings").get_data(as_text=True)
    auth.as_role("center", city="foshan")
    client.post(f"/moderation/offering/{offering_id}/hide", data={"reason": "宣称的检出率无依据"})
    auth.logout()
    assert "夸大效果的质检服务" not in client.get("/offerings").get_data(as_text=True)
    assert client.get(f"/offerings/{offering_id}").status_code == 404
    auth.login(vendor_email)
    page = client.get(f"/offerings/{offering_id}").get_data(as_text=True)
    assert "moderation-notice is-hidden" in page and "宣称的检出率无依据" in page
