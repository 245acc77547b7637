"""Does one function decide an enterprise's 模型券 money, so the estimator, the dashboard and the checkout agree?

Only a verified SME, in a city with configured rules, with a quota its center approved, gets a deduction."""
from __future__ import annotations

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.orders.services import place_order, quote
from marketplace.policy.services import estimate_subsidies
from marketplace.vouchers.services import explain, voucher_standing
from tests.factories import make_quota, make_user

YEAR = 2026


def agreed_figures(sme: User, offering) -> tuple[int, int, int]:
    """Return what the estimator, the dashboard (available quota) and the checkout give the SME for one purchase."""
    _region, estimates = estimate_subsidies(sme.organisation, offering.price_fen, "model_service", YEAR)
    voucher = next((e.amount_fen for e in estimates if e.instrument.code == "model_voucher"), 0)
    standing = voucher_standing(sme.organisation, YEAR)
    return voucher, standing.available_fen, quote(sme.organisation, offering, 1, YEAR).voucher_fen


@pytest.mark.parametrize("case, city, verified, quota, want_voucher, want_available, reason", [
    ("configured, verified, quota", "zhuhai", True, 50_000_00, 30_000_00, 50_000_00, None),
    ("quota smaller than 30%", "zhuhai", True, 10_000_00, 10_000_00, 10_000_00, None),
    ("no quota approved", "zhuhai", True, None, 0, 0, "no_quota"),
    ("unverified", "zhuhai", False, 50_000_00, 0, 0, "unverified"),
    ("city without rules", "foshan", True, 50_000_00, 0, 0, "no_rules"),
])
def test_estimator_dashboard_and_checkout_agree(market, case, city, verified, quota, want_voucher, want_available,
                                                reason):
    """The same figure (or the same nothing, with the same reason) wherever the SME looks."""
    sme = make_user("enterprise", city=city, **({} if verified else {"verified_at": None}))
    if quota:
        make_quota(sme.organisation, quota, YEAR)
    estimated, available, deducted = agreed_figures(sme, market.offering)
    assert (estimated, deducted) == (want_voucher, want_voucher), case
    assert available == want_available, case
    assert voucher_standing(sme.organisation, YEAR).reason == reason, case


def test_an_unverified_sme_gets_no_deduction_at_checkout(market):
    """An order by an unverified SME, even with an approved quota on file, is paid in full and writes no ledger row."""
    sme = make_user("enterprise", city="zhuhai", verified_at=None)
    make_quota(sme.organisation, 100_000_000, YEAR)
    order, _ = place_order(sme, market.offering, 1, "unverified-1")
    assert (order.voucher_fen, order.payable_fen) == (0, order.list_fen)
    assert "尚未通过认证" in explain(voucher_standing(sme.organisation, YEAR))


def test_a_city_without_rules_gets_no_money_and_is_told_so(market, client, auth):
    """A Foshan SME: no deduction at checkout, and the estimator says Foshan has no rules, Zhuhai's only an example."""
    make_quota(market.foshan_sme.organisation, 100_000_000, YEAR, region="foshan")
    order, _ = place_order(market.foshan_sme, market.offering, 1, "foshan-1")
    assert order.voucher_fen == 0 and order.policy_region == "foshan"
    db.session.commit()
    auth.login(market.foshan_sme.email)
    page = client.get(f"/policy/estimate?amount=100000&kind=model_service&year={YEAR}&lang=en").get_data(as_text=True)
    assert "年度的政策规则：目前无法通过本平台申领任何资助" in page
    assert "仅作示例" in page and "不适用于贵单位" in page
    assert "You may claim" not in page
    checkout = client.get(f"/offerings/{market.offering.id}/order").get_data(as_text=True)
    assert "年度的模型券政策规则，您的订单不能使用模型券抵扣" in checkout
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "年度的模型券政策规则，您的订单不能使用模型券抵扣" in dashboard


def test_checkout_says_why_there_is_no_deduction_without_a_quota(market, client, auth):
    """A Zhuhai SME without a quota sees ¥0 deducted and the reason: apply for a quota."""
    db.session.commit()
    auth.login(market.sme.email)
    page = client.get(f"/offerings/{market.offering.id}/order?lang=en").get_data(as_text=True)
    assert "您还没有 2026 年度已核定的模型券额度" in page and "−¥0.00" in page


def test_the_estimator_shows_the_quota_limit(market, client, auth):
    """With 10,000 CNY approved, a 100,000 CNY purchase is estimated at 10,000, saying the quota limits it."""
    make_quota(market.sme.organisation, 10_000_00, YEAR)
    auth.login(market.sme.email)
    page = client.get(f"/policy/estimate?amount=100000&kind=model_service&year={YEAR}&lang=en").get_data(as_text=True)
    assert "以已核定额度的剩余部分为限：¥10,000.00 中尚余 ¥10,000.00" in page
