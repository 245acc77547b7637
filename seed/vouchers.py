"""Demo data for the 模型券 lifecycle: Foshan's promotion center configures Foshan's instruments on the site
(clearly marked as a demonstration configuration: the published rules are Zhuhai's), Foshan SMEs apply for
quotas and the center approves them (the demo SME's for a lower amount than asked), and a Zhuhai SME's
application waits in the Zhuhai center's queue. Cities without rules (Dongguan, Shenzhen, …) stay without,
so the demo shows both. Everything goes through the services, before the demo orders are placed.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from marketplace.policy.rules import templates
from marketplace.policy.services import save_instrument
from marketplace.vouchers.process import QUOTA
from marketplace.vouchers.services import apply_for_quota

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DEMO_BASIS = "演示配置：由佛山市促进中心在平台上录入，用于展示分地区政策规则；非佛山市已发布政策。"
FOSHAN = [  # code, rate (bp), annual cap (fen), item cap (fen), yearly count cap
    ("model_voucher", 3000, 50_000_000, None, None),
    ("resonance_award", None, None, 50_000_000, 5),
]
QUOTAS = [  # enterprise key, projects, asked (fen), granted (fen) or None to leave it pending, reason
    ("e_fs_hongtao", "抛釉砖表面缺陷检测智能体采购与窑炉节能服务订阅，覆盖 3 条产线。", 400_000_00, 300_000_00,
     "项目计划清楚；首年按申请额的 75% 核定，余额视核销情况次年再议。"),
    ("e_fs_jinxiu", "窑炉能效管理服务（EMC 模式）一期。", 100_000_00, 100_000_00, "材料齐全，按申请额核定。"),
    ("e_fs_ruichu", "厨电装配线质量闭环智能体订阅。", 150_000_00, 120_000_00, "按已签约服务合同金额的 30% 核定。"),
    ("e_zh_keyue", "电子装配线 AOI 误报复判模型采购，计划第三季度上线。", 200_000_00, None, ""),
]


def first_user(org):
    """Return an organisation's first user."""
    return org.users[0]


VOUCHER_DEMO_REGIONS = ("foshan",)
"""Regions besides the default whose 模型券 the demo configures (their catalogues admit the eligible offerings)."""


def load_voucher_work(orgs: dict) -> dict[str, int]:
    """Configure Foshan's instruments, file the demo quota applications and decide most of them."""
    center = first_user(orgs["pc_foshan"])
    for code, rate, annual, item, count in FOSHAN:
        raw = templates()[code]
        save_instrument(center, "foshan", code, {
            "in_force": True, "year_from": 2026, "year_to": 2028, "rate_bp": rate, "annual_cap_fen": annual,
            "item_cap_fen": item, "min_digital_level": raw["min_digital_level"], "yearly_count_cap": count,
            "basis_zh": DEMO_BASIS, "basis_en": "Demonstration configuration entered by the Foshan promotion center "
                                               "to show regional rules; not a published Foshan policy."},
            "佛山市首批试点：按珠海方案口径配置，额度减半")
    years = sorted({2026, date.today().year} & set(range(2026, 2029)))
    decided = 0
    for year in years:
        for i, (key, projects, asked, granted, reason) in enumerate(QUOTAS):
            when = T0 + timedelta(days=i) if year == 2026 else datetime.now(UTC) - timedelta(days=10 - i)
            application = apply_for_quota(first_user(orgs[key]), year, projects, asked, when=when)
            if granted is None:
                continue
            decider = first_user(orgs["pc_zhuhai" if application.region == "zhuhai" else "pc_foshan"])
            QUOTA.fire(application.id, "grant", decider, when + timedelta(days=3), amount_fen=granted, reason=reason)
            decided += 1
    return {"quota_applications": len(years) * len(QUOTAS), "quotas_granted": decided}
