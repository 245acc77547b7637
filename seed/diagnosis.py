"""Demo data for the enterprise files (建档立卡): self-assessments for most seeded SMEs with a spread of levels
1–4, diagnosis visits by the promotion center of the SME's city confirming about a third of them, and
follow-ups (some done, some open). The demo SME has a self-assessment awaiting confirmation. Deterministic:
the answers follow from each SME's position in the list.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.process import FOLLOW_UP, VISIT
from marketplace.diagnosis.services import add_follow_up, record_visit, take_assessment
from marketplace.extensions import db
from seed.centers import EPOCH

TARGETS = (2, 1, 3, 2, 4, 2, 3, 1, 2, 3)
"""The level each SME in turn aims at (cycled)."""

FINDINGS = ("现场查看了车间设备联网、ERP 与 MES 使用情况和数据台账；自评结果与现场情况基本一致。",
            "关键工序已电子报工，但设备数据仍以人工抄录为主；数字化经营维度较自评略低。",
            "数字化规划成文并按年评估，质量数据可追溯；建议下一步从能耗管理切入。")
FOLLOW_UPS = ("补充设备联网清单与数据采集点位表", "组织一次数字化水平提升专题培训",
              "对接两家服务商开展视觉质检试点评估")


def answers_for(level: int, i: int) -> dict[str, int]:
    """Return answers that land in the band of a level, varied a little by the SME's position."""
    codes = [q.code for q in indicator_system().questions]
    pattern = {1: (1, 1, 0, 1, 1, 1), 2: (1, 2, 2, 1, 2, 1), 3: (2, 2, 2, 3, 2, 2), 4: (3, 3, 2, 3, 3, 3)}[level]
    return {code: pattern[(n + i) % len(pattern)] for n, code in enumerate(codes)}


def load_diagnosis_work(centers: list[Organisation], sme_email: str) -> dict[str, int]:
    """Add the assessments, visits and follow-ups; return how many of each."""
    by_city = {c.city: c for c in centers}
    center_users = {c.id: db.session.scalar(select(User).where(User.organisation_id == c.id).limit(1))
                    for c in centers}
    demo = db.session.scalar(select(User).where(User.email == sme_email))
    smes = list(db.session.scalars(select(Organisation).where(Organisation.kind == OrgKind.ENTERPRISE.value)
                                   .order_by(Organisation.id)))
    counts = {"assessments": 0, "diagnosis_visits": 0, "follow_ups": 0}
    for i, org in enumerate(smes):
        is_demo = demo is not None and org.id == demo.organisation_id
        if i % 5 == 4 and not is_demo:  # about one SME in five has not assessed itself yet
            continue
        user = demo if is_demo else db.session.scalar(select(User).where(User.organisation_id == org.id).limit(1))
        if user is None:
            continue
        level = 2 if is_demo else TARGETS[i % len(TARGETS)]
        assessment = take_assessment(user, answers_for(level, i))
        assessment.taken_at = EPOCH + timedelta(days=5 + i % 40, hours=i % 8)
        counts["assessments"] += 1
        center = by_city.get(org.city)
        staff = center_users.get(center.id) if center is not None else None
        if is_demo or staff is None or i % 2 != 0:
            continue
        visited = (assessment.taken_at + timedelta(days=12)).date()
        visit = record_visit(staff, org, visited, FINDINGS[i % len(FINDINGS)], max(1, assessment.level - (i % 2)),
                             today=visited)
        VISIT.fire(visit.id, "confirm_level", staff, when=assessment.taken_at + timedelta(days=13))
        counts["diagnosis_visits"] += 1
        for n in range(2):
            due = visited + timedelta(days=30 * (n + 1))
            item = add_follow_up(staff, org, FOLLOW_UPS[(i + n) % len(FOLLOW_UPS)], due, visit)
            counts["follow_ups"] += 1
            if n == 0 and i % 2 == 0:
                FOLLOW_UP.fire(item.id, "mark_done", staff, when=assessment.taken_at + timedelta(days=40))
    db.session.flush()
    return counts
