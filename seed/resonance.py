"""Demo data for the money side: 模数共振 agreements signed by their parties, orders placed with 模型券,
paid, delivered and once refunded, so statements, voucher ledgers and the directory's evidence are not
empty on first run. Everything goes through the real services with fixed dates, so the ledger rows are
exactly what the site would have written.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.extensions import db
from marketplace.orders.services import mark_fulfilled, mark_paid, place_order, refund
from marketplace.resonance.demonstrations import select_demonstration
from marketplace.resonance.models import Agreement
from marketplace.resonance.services import PartyTerm, amend, draft_agreement, sign

T0 = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)

AGREEMENTS = [  # key, drafted by, title, agent, data, parties (org key, role, bp), offerings, signed
    ("tile", "va_fs_taoyun", "抛釉砖表面缺陷检测智能体联合运营协议",
     "以宏陶建材 3 条抛釉砖线的缺陷图像训练的砖面质检智能体，面向佛山、清远建陶企业推广。",
     "宏陶建材 2023—2026 年砖面缺陷图像 18 万张（针孔、色差、缺釉、裂纹分级标注）及窑炉工况记录；数据留存企业私有云。",
     [("va_fs_taoyun", "model", 6000), ("e_fs_hongtao", "data", 3500), ("pc_foshan", "center", 500)],
     ["oa_taoyun_tile_line", "oa_taoyun_kiln_emc"], True),
    ("imm", "va_dg_songhu", "注塑机预测性维护模型模数共振协议",
     "基于鑫联电子 46 台注塑机振动与电流数据训练的螺杆、止逆环磨损预测模型，打包为年度订阅服务。",
     "鑫联电子注塑车间 2 年设备时序数据（约 9 亿点）与维修工单 1,200 条。",
     [("va_dg_songhu", "model", 7000), ("e_dg_xinlian", "data", 3000)], ["oa_songhu_imm_pdm"], True),
    ("quality", "va_sz_lanjing", "厨电质量闭环智能体收益分成协议",
     "以锐厨电器装配线质检与售后数据构建的质量闭环智能体，自动定位不良根因并推荐工艺调整。",
     "锐厨电器近 3 年 SPC 数据、装配线质检记录 60 万条、售后维修单 4.2 万条（脱敏）。",
     [("va_sz_lanjing", "model", 5500), ("e_fs_ruichu", "data", 4500)], ["oa_lanjing_quality_loop"], True),
    ("energy", "va_gz_suiheng", "家具厂空压与喷涂能耗优化协议（待签署）",
     "朗域家具喷涂线与空压站的能耗优化模型。", "朗域家具 1 年分项电表与喷涂线工况数据。",
     [("va_gz_suiheng", "model", 6000), ("e_fs_langyu", "data", 4000)], ["oa_suiheng_energy_saas"], False),
]

ORDERS = [  # buyer key, offering key, quantity, day offset, paid?, fulfilled?, refund reason
    ("e_fs_hongtao", "oa_taoyun_tile_line", 1, 5, True, True, None),
    ("e_fs_jintuo", "oa_taoyun_kiln_emc", 1, 12, True, True, None),
    ("e_fs_jinxiu", "oa_taoyun_kiln_emc", 1, 20, True, False, None),
    ("e_dg_jingtuo", "oa_songhu_imm_pdm", 2, 25, True, True, None),
    ("e_dg_hengfeng", "oa_songhu_imm_pdm", 1, 33, True, False, "客户产线搬迁，双方协商全额退款"),
    ("e_dg_letong", "oa_songhu_imm_pdm", 1, 41, True, True, None),
    ("e_fs_ruichu", "oa_lanjing_quality_loop", 1, 48, True, True, None),
    ("e_sz_ruineng", "oa_lanjing_quality_loop", 1, 96, True, False, None),
    ("e_fs_hongtao", "oa_suiheng_energy_saas", 1, 100, True, False, None),
    ("e_fs_hongtao", "oa_songhu_process_api", 5000, 110, False, False, None),
]


def first_user(org):
    """Return an organisation's first user."""
    return org.users[0]


SIDES = {  # agreement key: the datasets (data side) and model cards (model side) its versions name
    "tile": (["ds_hongtao_tile"], ["ma_taoyun_tile_defect"]),
    "imm": (["ds_xinlian_imm"], ["ma_songhu_imm_pdm"]),
    "quality": (["ds_ruichu_quality"], ["ma_lanjing_quality_agent"]),
}


def load_resonance_work(orgs: dict, offerings: dict, datasets: dict | None = None,
                        models: dict | None = None) -> dict[str, int]:
    """Create the demo agreements (naming their datasets and models where the seed has them), orders, payments, a
    refund, an amendment and a demonstration selection."""
    agreements: dict[str, Agreement] = {}
    for key, drafter, title, agent, data, parties, offering_keys, signed in AGREEMENTS:
        when = T0 + timedelta(days=len(agreements))
        terms = [PartyTerm(orgs[k].id, role, bp) for k, role, bp in parties]
        dataset_keys, model_keys = SIDES.get(key, ([], []))
        agreement = draft_agreement(first_user(orgs[drafter]), title, agent, data, terms,
                                    [offerings[k].id for k in offering_keys], when=when,
                                    dataset_ids=[datasets[k].id for k in dataset_keys] if datasets else [],
                                    model_ids=[models[k].id for k in model_keys] if models else [])
        db.session.flush()
        if signed:
            for k, _role, _bp in parties:
                sign(agreement.id, first_user(orgs[k]), when=when + timedelta(hours=2))
        agreements[key] = agreement
    db.session.flush()
    count = 0
    for buyer, offering_key, quantity, day, paid, fulfilled, refund_reason in ORDERS:
        placed = T0 + timedelta(days=day)
        offering = offerings[offering_key]
        vendor = first_user(offering.organisation)
        order, _ = place_order(first_user(orgs[buyer]), offering, quantity, f"seed-{count}", when=placed)
        db.session.flush()
        if paid:
            mark_paid(order.id, vendor, when=placed + timedelta(days=2))
        if fulfilled:
            mark_fulfilled(order.id, vendor, when=placed + timedelta(days=20))
        if refund_reason:
            refund(order.id, vendor, refund_reason, when=placed + timedelta(days=9))
        db.session.flush()
        count += 1
        if day == 48:  # after the first quality-loop sale the parties re-split 50/50 (version 2)
            quality = agreements["quality"]
            amend(quality.id, first_user(orgs["va_sz_lanjing"]),
                  [PartyTerm(orgs["va_sz_lanjing"].id, "model", 5000), PartyTerm(orgs["e_fs_ruichu"].id, "data", 5000)],
                  [offerings["oa_lanjing_quality_loop"].id], "售后数据量翻倍，数据方分成上调至 50%",
                  when=placed + timedelta(days=10))
            for k in ("va_sz_lanjing", "e_fs_ruichu"):
                sign(quality.id, first_user(orgs[k]), when=placed + timedelta(days=12))
    select_demonstration(agreements["tile"].id, first_user(orgs["pc_foshan"]), 2026, 45_000_000,
                         "数据方、模型方与促进中心三方共建，已在 3 家建陶企业复制推广。",
                         when=T0 + timedelta(days=120))
    db.session.flush()
    return {"agreements": len(agreements), "orders": count}
