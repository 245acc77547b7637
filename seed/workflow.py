"""Demo data for the matchmaking workflow: the demo vendor's proposal for one of the demo SME's needs with a
short message thread, the demo SME's saved search, and its review of a delivered order, so proposals,
messages, notifications and reviews are not empty on first run. Everything goes through the services.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.notifications.digests import save_search
from marketplace.orders.models import Order
from marketplace.orders.services import mark_fulfilled
from marketplace.proposals.services import change_proposal, post_message, send_proposal
from marketplace.reviews.services import write_review

T0 = datetime(2026, 10, 8, 9, 30, tzinfo=UTC)

PLAN = ("第一阶段（4 周）：在窑炉与空压站加装分项电表，接入现有 DCS 数据；\n"
        "第二阶段（6 周）：训练窑温—能耗模型，给出烧成曲线与空压机群控建议；\n"
        "第三阶段（2 周）：上线看板并与车间确认节能量核算口径。")
MESSAGES = [
    ("vendor", "您好，方案已提交。能否提供 2 号窑近 3 个月的燃气计量数据样本？我们先做一次节能潜力评估。"),
    ("sme", "可以，数据在厂内私有云，下周安排贵司工程师现场导出。节能量按什么口径核算？"),
    ("vendor", "按同产量、同产品结构下的单位产品综合能耗对比，口径写入合同附件。"),
]


def load_workflow_work(needs: dict, offerings: dict, sme_email: str, vendor_email: str) -> dict[str, int]:
    """Create the demo proposal thread, a saved search and a review between the demo SME and demo vendor."""
    sme = db.session.scalar(select(User).where(User.email == sme_email))
    vendor = db.session.scalar(select(User).where(User.email == vendor_email))
    need = needs.get("n_kiln_energy")
    offering = offerings.get("oa_suiheng_energy_saas")
    if sme is None or vendor is None or need is None or offering is None \
            or offering.organisation_id != vendor.organisation_id or need.organisation_id != sme.organisation_id:
        return {"proposals": 0}
    proposal = send_proposal(need, vendor, [offering.id], 38_000_000, PLAN,
                             "我们在佛山已完成 3 家建陶企业的窑炉能耗优化，平均节能 6.8%。")
    change_proposal(proposal, "shortlist", sme)
    proposal.created_at, proposal.updated_at = T0, T0 + timedelta(hours=2)
    for i, (side, body) in enumerate(MESSAGES):
        message = post_message(proposal, vendor if side == "vendor" else sme, body)
        message.created_at = T0 + timedelta(hours=3, minutes=20 * i)
    save_search(sme, "窑炉 能耗 优化", {"industry": "ceramics_building"}, [])
    reviews = 0
    order = db.session.scalar(select(Order).where(Order.buyer_id == sme.organisation_id,
                                                  Order.offering_id == offering.id).order_by(Order.id))
    if order is not None and order.state == "paid" and order.paid_at is not None:
        mark_fulfilled(order.id, vendor, when=order.paid_at + timedelta(days=7))
        write_review("order", order.id, sme, 4,
                     "空压站群控上线后月度电费下降约 9%，实施团队响应及时；看板的报表导出还可以更灵活。")
        reviews = 1
    db.session.flush()
    return {"proposals": 1, "messages": len(MESSAGES), "saved_searches": 1, "reviews": reviews}
