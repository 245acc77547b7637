"""Dataset fixtures: an SME owning a published dataset, vendors to ask for it, and others who may not decide."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from marketplace.extensions import db
from tests.factories import make_dataset, make_model, make_user


@pytest.fixture
def data(app):
    """A verified SME owning a published dataset; a verified vendor with a model; an unverified vendor; another
    SME; a center; an admin (ids and emails)."""
    with app.app_context():
        owner, vendor = make_user("enterprise", city="dongguan"), make_user("vendor", city="shenzhen")
        unverified = make_user("vendor", verified_at=None)
        other_sme, center, admin = make_user("enterprise"), make_user("center", city="dongguan"), make_user("admin")
        dataset = make_dataset(owner.organisation)
        model = make_model(vendor.organisation, commit=False)
        db.session.commit()
        world = SimpleNamespace(dataset_id=dataset.id, owner=owner.email, owner_org=owner.organisation_id,
                                vendor=vendor.email, vendor_org=vendor.organisation_id, model_id=model.id,
                                unverified=unverified.email, other_sme=other_sme.email, center=center.email,
                                admin=admin.email)
        db.session.remove()
    return world
