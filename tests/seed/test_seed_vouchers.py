"""Does the demo show the 模型券 lifecycle: the demo SME's approved quota, a pending application, and a city
without rules?"""
from datetime import date

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.vouchers.models import QuotaApplication
from marketplace.vouchers.services import voucher_standing
from seed.loader import DEMO_ACCOUNTS


def test_demo_sme_holds_an_approved_quota_and_a_center_has_an_application_waiting(app, runner):
    """sme@demo has a quota for this year (lower than asked) and money left; the Zhuhai center has one to decide;
    a Dongguan SME is told its city has no rules."""
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        sme = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["enterprise"])).organisation
        standing = voucher_standing(sme, date.today().year)
        assert standing.reason is None and standing.quota_fen > 0 and standing.available_fen > 0
        granted = db.session.scalar(select(QuotaApplication).where(QuotaApplication.enterprise_id == sme.id,
                                                                   QuotaApplication.year == date.today().year))
        assert granted.granted_fen < granted.requested_fen
        waiting = db.session.scalars(select(QuotaApplication).where(QuotaApplication.state == "applied")).all()
        assert waiting and all(a.enterprise_id != sme.id for a in waiting)
        assert any(a.region == "zhuhai" for a in waiting)
        center = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["center"])).organisation
        assert center.city == "zhuhai"
        dongguan = next(u.organisation for u in db.session.scalars(select(User)) if u.organisation.city == "dongguan"
                        and u.organisation.kind == "enterprise")
        assert voucher_standing(dongguan, date.today().year).reason == "no_rules"
