"""Demo moderation work: a newly registered, not yet verified Zhuhai SME whose need waits for the Zhuhai
center's review (pre-moderation, the default), a report on a published need, and Foshan switched to
post-moderation by its center — so the queue and the region settings show something on the first run."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace.accounts.models import Organisation, User
from marketplace.extensions import db
from marketplace.moderation.services import report_item, set_region_mode
from marketplace.needs.services import post_need

NEW_SME = {"key": "e_zh_new_hardware", "name": "珠海市斗门区新锐精密五金有限公司", "city": "zhuhai",
           "industry": "hardware_metal", "size": "small", "digital_level": 1, "contact_name": "陈嘉豪",
           "email": "newsme@seed.moshu.cn"}

HELD_NEED = {
    "title": "冲压件毛刺和压痕的在线检测",
    "description": "公司去年投产，两条 160 吨冲压线生产卫浴五金支架，毛刺和压痕目前靠末端抽检，客户退货集中在毛刺划手。"
                   "想了解有没有能装在落料口的相机方案，先做一条线试点。",
    "industry": "hardware_metal", "scenario": "online_inspection",
    "pain_points": "抽检比例低，毛刺漏检导致客户整批退货。",
    "data_available": "近三个月退货记录和不良样件约 200 件，暂无图片数据。",
    "budget_min_fen": 8_000_000, "budget_max_fen": 20_000_000, "deployment": "edge", "city": "zhuhai",
    "visibility": "public",
}


def load_moderation_work(password_hash: str, vendor_email: str) -> dict[str, int]:
    """Post the unverified SME's need (held for review), report one published Zhuhai need as the demo vendor,
    and set Foshan to post-moderation as the Foshan center; return what was made."""
    from seed.loader import make_org

    org = make_org("enterprise", NEW_SME, password_hash)
    org.verified_at = None
    db.session.flush()
    user = db.session.scalars(select(User).where(User.organisation_id == org.id)).one()
    need = post_need(user, {**HELD_NEED, "deadline": date.today() + timedelta(days=90)})
    work = {"held": int(need.moderation == "held"), "reports": 0, "region_modes": 0}
    vendor = db.session.scalar(select(User).where(User.email == vendor_email))
    from marketplace.needs.models import Need

    reported = db.session.scalar(select(Need).join(Need.organisation).where(
        Organisation.city == "zhuhai", Organisation.verified_at.is_not(None), Need.status == "open",
        Need.visibility == "public").order_by(Need.id))
    if vendor is not None and reported is not None:
        report_item(vendor, "need", reported.id, "false", "预算区间与描述的改造范围差距很大，疑似信息不实，请核实。")
        work["reports"] = 1
    foshan_center = db.session.scalar(select(User).join(User.organisation).where(
        Organisation.kind == "center", Organisation.city == "foshan").order_by(User.id))
    if foshan_center is not None:
        set_region_mode(foshan_center, "foshan", "post")
        work["region_modes"] = 1
    db.session.flush()
    return work
