"""Expert pool fixtures: a center with an expert, and SMEs to ask them."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.experts.models import Expert
from marketplace.extensions import db
from tests.factories import make_user


def make_expert(center_org, commit: bool = True, **fields) -> Expert:
    """Create an expert in a center's pool."""
    values = dict(center_id=center_org.id, name="陈嘉禾", position="教授级高级工程师", employer="粤港澳智能制造研究院",
                  fields="机器视觉质检；缺陷检测样本采集与标注规范", bio="从事机器视觉质检十余年。",
                  industries=["electronics"], scenarios=["online_inspection"], cities=["zhuhai"],
                  availability="available", phone="0756-3800-1200", email="chen@experts.example.cn", active=True)
    values.update(fields)
    expert = Expert(**values)
    db.session.add(expert)
    db.session.flush()
    if commit:
        db.session.commit()
    return expert


@pytest.fixture
def pool(app):
    """A zhuhai center keeping one expert; two SMEs, another center and an admin (ids and emails)."""
    with app.app_context():
        center, other_center = make_user("center", city="zhuhai"), make_user("center", city="foshan")
        sme, other_sme, admin = make_user("enterprise", city="zhuhai"), make_user("enterprise"), make_user("admin")
        expert = make_expert(center.organisation)
        world = SimpleNamespace(expert_id=expert.id, center=center.email, other_center=other_center.email,
                                sme=sme.email, sme_org=sme.organisation_id, other_sme=other_sme.email,
                                admin=admin.email, center_org=center.organisation_id)
        db.session.remove()
    return world
