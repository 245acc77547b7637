"""Expert pool fixtures: a center with an expert, and SMEs to ask them."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from tests.factories import make_expert, make_user


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
