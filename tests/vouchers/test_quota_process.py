"""The quota application: who may apply, what a center may approve, rejection and revocation with reasons."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.audit.models import AuditEvent
from marketplace.errors import DomainError, PermissionDenied
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.orders.services import place_order
from marketplace.states import IllegalTransition
from marketplace.vouchers.process import QUOTA
from marketplace.vouchers.services import apply_for_quota, voucher_position, voucher_standing
from tests.factories import make_user

YEAR = 2026


def kinds_told(user) -> list[str]:
    """The kinds of notification a user received."""
    return list(db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


def test_sme_applies_and_its_regions_center_is_told(market):
    """The application records projects and amount, is audited, and reaches the Zhuhai center, not Foshan's."""
    application = apply_for_quota(market.sme, YEAR, "采购视觉质检模型服务，用于两条产线", 80_000_00)
    assert (application.state, application.region, application.requested_fen) == ("applied", "zhuhai", 80_000_00)
    assert kinds_told(market.center) == ["quota_applied"] and kinds_told(market.foshan_center) == []
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "quota.applied"))


def test_an_unverified_sme_cannot_apply(market):
    """Verification comes first: the rule `organisation.hold_vouchers` refuses an unverified SME."""
    unverified = make_user("enterprise", city="zhuhai", verified_at=None)
    with pytest.raises(PermissionDenied):
        apply_for_quota(unverified, YEAR, "视觉质检", 10_000_00)


def test_a_city_without_rules_has_no_quota_to_apply_for(market):
    """A Foshan SME is told Foshan has no 模型券 rules for the year."""
    with pytest.raises(DomainError, match="尚未配置 .* 年度的模型券政策规则"):
        apply_for_quota(market.foshan_sme, YEAR, "视觉质检", 10_000_00)


def test_the_request_is_bounded_by_the_annual_cap_and_one_open_application(market):
    """More than the 1,000,000 CNY cap is refused; a second open application for the same year is refused."""
    with pytest.raises(DomainError, match="最多"):
        apply_for_quota(market.sme, YEAR, "视觉质检", 1_000_000_01)
    apply_for_quota(market.sme, YEAR, "视觉质检", 10_000_00)
    with pytest.raises(DomainError, match="您已有 2026 年度待审核或已核定的申请"):
        apply_for_quota(market.sme, YEAR, "再申请一次", 10_000_00)


def test_center_approves_a_lower_amount_and_the_sme_is_told(market):
    """The Zhuhai center approves 50,000 of 80,000 with a reason; the SME's quota is 50,000 and it is notified."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 80_000_00)
    QUOTA.fire(application.id, "grant", market.center, amount_fen=50_000_00, reason="首年额度按计划的 60% 核定")
    assert (application.state, application.granted_fen, application.decided_by_id) == ("granted", 50_000_00,
                                                                                      market.center.id)
    assert voucher_standing(market.sme.organisation, YEAR).available_fen == 50_000_00
    assert kinds_told(market.sme) == ["quota_granted"]


@pytest.mark.parametrize("amount, message", [(80_000_01, "不能超过申请额度"), (0, "请填写核定额度")])
def test_a_grant_above_the_request_or_of_nothing_is_refused(market, amount, message):
    """The amount approved is at most the amount asked, and more than nothing."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 80_000_00)
    with pytest.raises(IllegalTransition, match=message):
        QUOTA.fire(application.id, "grant", market.center, amount_fen=amount, reason="核定")


def test_a_grant_never_passes_the_annual_cap(market):
    """After a 900,000 quota was granted and revoked with 900,000 spent, at most 100,000 more can be approved."""
    first = apply_for_quota(market.sme, YEAR, "一期项目", 900_000_00)
    QUOTA.fire(first.id, "grant", market.center, amount_fen=900_000_00, reason="一期")
    market.offering.price_fen = 3_000_000_00
    place_order(market.sme, market.offering, 1, "spend-all")
    QUOTA.fire(first.id, "revoke", market.center, reason="一期结束")
    second = apply_for_quota(market.sme, YEAR, "二期项目", 500_000_00)
    with pytest.raises(IllegalTransition, match="最多还可核定 ¥100,000.00"):
        QUOTA.fire(second.id, "grant", market.center, amount_fen=500_000_00, reason="二期")
    QUOTA.fire(second.id, "grant", market.center, amount_fen=100_000_00, reason="二期，按年度上限核定")
    assert voucher_position(market.sme.organisation_id, YEAR).quota_fen == 1_000_000_00


def test_only_the_regions_center_or_an_admin_decides(market):
    """Foshan's center cannot decide a Zhuhai application, nor can the SME itself; an admin can."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 10_000_00)
    for outsider in (market.foshan_center, market.sme, market.vendor):
        with pytest.raises(PermissionDenied):
            QUOTA.fire(application.id, "refuse", outsider, reason="不符合")
    QUOTA.fire(application.id, "refuse", market.admin, reason="项目不属于模型服务")
    assert application.state == "refused" and application.decision_reason == "项目不属于模型服务"
    assert kinds_told(market.sme) == ["quota_refused"]


def test_a_rejection_needs_a_reason(market):
    """Without a reason nothing moves."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 10_000_00)
    with pytest.raises(IllegalTransition):
        QUOTA.fire(application.id, "refuse", market.center, reason="  ")
    assert application.state == "applied"


def test_revocation_takes_back_only_the_unspent_part(market):
    """With 30,000 of a 50,000 quota reserved by an order, revoking takes back 20,000; the order keeps its 30,000."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 50_000_00)
    QUOTA.fire(application.id, "grant", market.center, amount_fen=50_000_00, reason="核定")
    order, _ = place_order(market.sme, market.offering, 1, "before-revoke")
    assert order.voucher_fen == 30_000_00
    QUOTA.fire(application.id, "revoke", market.center, reason="企业迁出珠海")
    assert application.revoked_fen == 20_000_00 and application.quota_fen == 30_000_00
    position = voucher_position(market.sme.organisation_id, YEAR)
    assert (position.quota_fen, position.reserved_fen, position.available_fen) == (30_000_00, 30_000_00, 0)
    later, _ = place_order(market.sme, market.offering, 1, "after-revoke")
    assert later.voucher_fen == 0
    assert kinds_told(market.sme) == ["quota_granted", "quota_revoked"]


def test_the_center_decides_through_its_pages(market, client, auth):
    """The Zhuhai center sees the application in its queue and approves a lower amount through the form."""
    application = apply_for_quota(market.sme, YEAR, "视觉质检", 80_000_00)
    db.session.commit()
    auth.login(market.center.email)
    queue = client.get("/vouchers/applications").get_data(as_text=True)
    assert market.sme.organisation.name in queue
    page = client.get(f"/vouchers/applications/{application.id}").get_data(as_text=True)
    assert 'name="amount"' in page and "/refuse" in page
    client.post(f"/vouchers/applications/{application.id}/grant", data={"amount": "60000", "reason": "按计划核定"})
    db.session.expire_all()
    assert (application.state, application.granted_fen) == ("granted", 60_000_00)
    auth.logout()
    auth.login(market.foshan_center.email)
    assert client.get(f"/vouchers/applications/{application.id}").status_code == 403
    assert market.sme.organisation.name not in client.get("/vouchers/applications?state=all").get_data(as_text=True)


def test_the_sme_applies_through_its_page(market, client, auth):
    """The form takes the year, the projects and an amount in yuan; an unverified SME sees why and is refused."""
    db.session.commit()
    auth.login(market.sme.email)
    response = client.post("/vouchers/apply", data={"year": "2026", "projects": "视觉质检模型服务", "amount": "80,000"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "¥80,000.00" in page
    auth.logout()
    who = auth.as_role("enterprise", city="zhuhai", verified_at=None)
    page = client.get("/vouchers/apply?lang=en").get_data(as_text=True)
    assert "贵单位尚未通过认证" in page and 'name="projects"' not in page
    assert client.post("/vouchers/apply", data={"year": "2026", "projects": "x", "amount": "1"}).status_code == 403
    from marketplace.vouchers.models import QuotaApplication

    assert db.session.scalars(select(QuotaApplication).where(QuotaApplication.enterprise_id == who.org_id)).all() == []
