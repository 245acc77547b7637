"""Pre- and post-moderation of unverified organisations' new listings and needs, per region; automatic flags on
save; hidden reviews and messages shown only to their author and the moderators."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.audit.models import AuditEvent
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.moderation.models import RegionModeration, Report
from marketplace.needs.models import Need
from tests.factories import make_need, make_offering, make_proposal, make_user


def need_form(**overrides) -> dict:
    """A complete, valid need form."""
    data = {"title": "注塑件缩痕飞边自动检测",
            "description": "我们有 12 台海天 MA1600 注塑机生产空调面板，缩痕和飞边全靠人工目检，夜班漏检多。",
            "industry": "mould_plastics", "scenario": "online_inspection", "pain_points": "夜班漏检",
            "data_available": "不良品照片约 3000 张", "budget_min": "100000", "budget_max": "300000",
            "deadline": (date.today() + timedelta(days=60)).isoformat(), "deployment": "private",
            "city": "foshan", "visibility": "public"}
    data.update(overrides)
    return data


def posted_need(app) -> Need:
    """The one need in the database."""
    with app.app_context():
        need = db.session.scalar(select(Need))
        db.session.expunge(need)
        return need


def set_mode(app, city: str, mode: str) -> None:
    """Set a region's moderation mode directly."""
    with app.app_context():
        db.session.add(RegionModeration(city=city, mode=mode))
        db.session.commit()


def test_an_unverified_smes_need_is_held_until_the_center_approves_it(app, client, auth):
    """Under pre-moderation (the default) an unverified SME's need is not public: the SME sees "under review",
    the center's queue lists it, and approving it makes it public."""
    owner = auth.as_role("enterprise", verified_at=None, city="foshan")
    assert client.post("/needs/new", data=need_form()).status_code == 302
    need = posted_need(app)
    assert need.moderation == "held"
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert 'class="moderation-notice"' in page
    auth.logout()
    assert "注塑件缩痕飞边自动检测" not in client.get("/needs/").get_data(as_text=True)
    assert client.get(f"/api/v1/needs/{need.id}").status_code in (403, 404)
    auth.as_role("center", city="foshan")
    assert "注塑件缩痕飞边自动检测" in client.get("/moderation/").get_data(as_text=True)
    assert client.post(f"/moderation/need/{need.id}/approve", data={"reason": ""}).status_code == 302
    auth.logout()
    assert "注塑件缩痕飞边自动检测" in client.get("/needs/").get_data(as_text=True)
    assert owner.org_id == need.organisation_id


def test_a_rejected_need_stays_private_and_the_owner_reads_why(app, client, auth):
    """Rejecting a held need keeps it off the public pages; its SME sees the reason."""
    owner = auth.as_role("enterprise", verified_at=None, city="foshan")
    client.post("/needs/new", data=need_form())
    need = posted_need(app)
    auth.logout()
    auth.as_role("admin")
    client.post(f"/moderation/need/{need.id}/reject", data={"reason": "请补充企业资质后再发布"})
    auth.logout()
    assert "注塑件缩痕飞边自动检测" not in client.get("/needs/").get_data(as_text=True)
    auth.login(owner.email)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "请补充企业资质后再发布" in page


def test_post_moderation_publishes_at_once_and_queues_for_review(app, client, auth):
    """In a post-moderation region the unverified SME's need is public at once and waits in the queue."""
    set_mode(app, "foshan", "post")
    auth.as_role("enterprise", verified_at=None, city="foshan")
    client.post("/needs/new", data=need_form())
    need = posted_need(app)
    assert need.moderation == "visible"
    auth.logout()
    assert "注塑件缩痕飞边自动检测" in client.get("/needs/").get_data(as_text=True)
    with app.app_context():
        assert [r.reason for r in db.session.scalars(select(Report))] == ["unverified"]


def test_a_verified_smes_need_is_neither_held_nor_queued(app, client, auth):
    """A verified SME's ordinary need goes live without a report."""
    auth.as_role("enterprise", city="foshan")
    client.post("/needs/new", data=need_form())
    assert posted_need(app).moderation == "visible"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_the_region_is_the_organisations_city(app, client, auth):
    """Pre-moderation in Foshan holds a Foshan SME's need even when the need names another city."""
    set_mode(app, "zhongshan", "post")
    auth.as_role("enterprise", verified_at=None, city="foshan")
    client.post("/needs/new", data=need_form(city="zhongshan"))
    assert posted_need(app).moderation == "held"


def test_an_unverified_vendors_listing_is_held_on_publish(app, client, auth):
    """Publishing an unverified vendor's offering holds it (pre-moderation): it is not in the public list."""
    vendor = auth.as_role("vendor", verified_at=None, city="foshan")
    with app.app_context():
        from marketplace.accounts.models import Organisation

        offering_id = make_offering(db.session.get(Organisation, vendor.org_id), title="未认证服务商的质检服务",
                                    state="draft").id
    assert client.post(f"/listings/offering/{offering_id}/publish").status_code == 302
    with app.app_context():
        offering = db.session.get(Offering, offering_id)
        assert (offering.state, offering.moderation) == ("published", "held")
    auth.logout()
    assert "未认证服务商的质检服务" not in client.get("/offerings").get_data(as_text=True)
    assert client.get(f"/offerings/{offering_id}").status_code == 404


def test_the_center_sets_its_own_regions_mode_audited(app, client, auth):
    """A Foshan center switches Foshan to post-moderation (audited) but cannot set Zhuhai; an admin can."""
    auth.as_role("center", city="foshan")
    assert client.post("/moderation/regions", data={"city": "foshan", "mode": "post"}).status_code == 302
    client.post("/moderation/regions", data={"city": "zhuhai", "mode": "post"})
    with app.app_context():
        assert {r.city: r.mode for r in db.session.scalars(select(RegionModeration))} == {"foshan": "post"}
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "moderation.region_set"))
        assert event.detail == {"city": "foshan", "from": "pre", "to": "post"}
    auth.logout()
    auth.as_role("admin")
    client.post("/moderation/regions", data={"city": "zhuhai", "mode": "post"})
    with app.app_context():
        assert db.session.get(RegionModeration, "zhuhai").mode == "post"


def test_a_repetitive_need_is_flagged_on_save_without_blocking_the_author(app, client, auth):
    """A verified SME's need repeating one phrase is posted and public, and flagged to the queue with the reason."""
    auth.as_role("enterprise", city="foshan")
    spam = "急需视觉检测方案，价格好说，请尽快联系。" * 150  # 3,150 characters: repetitive and overlong
    assert client.post("/needs/new", data=need_form(description=spam)).status_code == 302
    assert posted_need(app).moderation == "visible"
    with app.app_context():
        flags = db.session.scalars(select(Report)).all()
        assert sorted((f.reason, f.reporter_id) for f in flags) == [("overlong", None), ("repetitive", None)]
        assert all(f.text.startswith("description") for f in flags)
    client.post(f"/needs/{posted_need(app).id}/edit", data=need_form(description=spam + "！"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 2  # no second flag for the same rule


def test_a_hidden_message_is_gone_for_the_other_side_and_marked_for_its_sender(app, client, auth):
    """A moderator hides a message: the recipient no longer sees it; its sender sees it marked hidden with the
    reason."""
    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        proposal = make_proposal(make_need(sme.organisation), vendor)
        sme_email, vendor_email, proposal_id = sme.email, vendor.email, proposal.id
    auth.login(vendor_email)
    client.post(f"/proposals/{proposal_id}/messages", data={"body": "加我私人微信，绕开平台交易"})
    auth.logout()
    with app.app_context():
        from marketplace.proposals.models import Message

        message_id = db.session.scalar(select(Message.id))
    auth.as_role("center", city="foshan")
    assert client.post(f"/moderation/message/{message_id}/hide", data={"reason": "引导线下交易"}).status_code == 302
    auth.logout()
    auth.login(sme_email)
    assert "加我私人微信" not in client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    auth.logout()
    auth.login(vendor_email)
    page = client.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "加我私人微信" in page and "引导线下交易" in page and "hidden-item" in page


def test_a_hidden_review_is_shown_only_to_its_author_with_the_reason(app, client, auth):
    """A moderator hides a review from the queue: visitors no longer read it on the provider page; the SME that
    wrote it sees it marked hidden, with the reason."""
    from marketplace.reviews.services import write_review
    from tests.factories import make_profile

    with app.app_context():
        sme, vendor = make_user("enterprise"), make_user("vendor")
        profile_id = make_profile(vendor.organisation).id
        proposal = make_proposal(make_need(sme.organisation, status="contracted"), vendor, state="contracted")
        review_id = write_review("proposal", proposal.id, sme, 1, "这家公司的老板是骗子，电话 138xxxx").id
        db.session.commit()
        sme_email = sme.email
    auth.as_role("center", city="foshan")
    assert client.post(f"/moderation/review/{review_id}/hide", data={"reason": "含人身攻击和电话"}).status_code == 302
    auth.logout()
    assert "老板是骗子" not in client.get(f"/providers/{profile_id}").get_data(as_text=True)
    auth.login(sme_email)
    page = client.get(f"/providers/{profile_id}").get_data(as_text=True)
    assert "老板是骗子" in page and "含人身攻击和电话" in page
