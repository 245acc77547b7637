"""Does a 模数共振 agreement name its datasets (data side) and models (model side), only those the drafter may
use, keep them through an amendment, and show both sides with links?"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from marketplace.datasets.models import AccessRequest
from marketplace.datasets.process import ACCESS
from marketplace.extensions import db
from marketplace.resonance.models import Agreement
from marketplace.resonance.services import PartyTerm, amend
from tests.factories import make_dataset, make_model, make_offering, make_user


@pytest.fixture
def sides(app):
    """A vendor with a model and an offering, an SME with a dataset, and a stranger SME with another dataset."""
    with app.app_context():
        vendor, sme, stranger = make_user("vendor"), make_user("enterprise"), make_user("enterprise")
        model = make_model(vendor.organisation, commit=False, name="注塑件缺陷检测小模型")
        offering = make_offering(vendor.organisation, commit=False)
        dataset = make_dataset(sme.organisation, commit=False, title="注塑件外观缺陷图像集")
        foreign = make_dataset(stranger.organisation, commit=False, title="别家的数据集")
        db.session.commit()
        world = SimpleNamespace(vendor=vendor.email, vendor_user=vendor.id, vendor_org=vendor.organisation_id,
                                sme=sme.email, sme_user=sme.id, sme_org=sme.organisation_id, model=model.id,
                                offering=offering.id, dataset=dataset.id, foreign=foreign.id)
        db.session.remove()
    return world


def form(w, **overrides) -> dict:
    """The agreement form: vendor 60% model side, SME 40% data side, naming the dataset and the model."""
    data = {"title": "注塑质检智能体", "agent_description": "缺陷检测智能体", "data_description": "三年缺陷图片",
            "parties-0-organisation_id": str(w.vendor_org), "parties-0-role": "model", "parties-0-share": "60",
            "parties-1-organisation_id": str(w.sme_org), "parties-1-role": "data", "parties-1-share": "40",
            "parties-2-organisation_id": "", "parties-3-organisation_id": "", "offering_ids": [str(w.offering)],
            "dataset_ids": [str(w.dataset)], "model_ids": [str(w.model)]}
    data.update(overrides)
    return data


def grant(app, w) -> None:
    """The vendor asks for the SME's dataset and the SME grants it."""
    from marketplace.accounts.models import User
    from marketplace.datasets.models import Dataset
    from marketplace.datasets.services import request_access

    with app.app_context():
        made = request_access(db.session.get(Dataset, w.dataset), db.session.get(User, w.vendor_user),
                              "训练缺陷检测模型", None)
        db.session.flush()
        ACCESS.fire(made.id, "grant", db.session.get(User, w.sme_user), conditions="仅限本协议")
        db.session.commit()


def test_the_owner_drafts_an_agreement_naming_its_dataset_and_the_model(app, client, auth, sides):
    """The SME names its own dataset and the vendor's model; the page links both sides and keeps the texts."""
    auth.login(sides.sme)
    response = client.post("/resonance/new", data=form(sides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        agreement = db.session.scalars(select(Agreement)).one()
        version = agreement.latest_version
        assert [d.id for d in version.datasets] == [sides.dataset] and [m.id for m in version.models] == [sides.model]
        agreement_id = agreement.id
    page = client.get(f"/resonance/{agreement_id}").get_data(as_text=True)
    data_side = page.split('id="data-side"')[1].split('id="model-side"')[0]
    model_side = page.split('id="model-side"')[1]
    assert f'href="/datasets/{sides.dataset}"' in data_side and "三年缺陷图片" in data_side
    assert f'href="/models/{sides.model}"' in model_side and "缺陷检测智能体" in model_side


def test_a_vendor_names_a_dataset_only_after_its_owner_granted_access(app, client, auth, sides):
    """Before the grant the vendor's draft naming the SME's dataset is refused (nothing saved); after it, accepted.
    A dataset whose owner is no party is refused even when offered."""
    auth.login(sides.vendor)
    refused = client.post("/resonance/new", data=form(sides))
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Agreement)).all() == []
    grant(app, sides)
    assert client.post("/resonance/new", data=form(sides)).status_code == 302
    with app.app_context():
        assert [d.id for d in db.session.scalars(select(Agreement)).one().latest_version.datasets] == [sides.dataset]
        assert db.session.scalars(select(AccessRequest)).one().state == "access_granted"


def test_a_model_of_an_organisation_that_is_no_party_is_refused(app, client, auth, sides):
    """Naming another vendor's model is refused on the models field."""
    with app.app_context():
        other = make_model(make_user("vendor").organisation, name="别家的模型")
        other_id = other.id
    auth.login(sides.sme)
    response = client.post("/resonance/new", data=form(sides, model_ids=[str(other_id)]))
    assert response.status_code == 422 and "“别家的模型”的开发方必须是协议的一方" in response.get_data(as_text=True)


def test_an_amendment_keeps_the_named_sides_unless_it_changes_them(app, sides):
    """A new version names what the one before named when the amendment does not say otherwise."""
    from marketplace.accounts.models import User
    from marketplace.resonance.services import draft_agreement

    with app.app_context():
        sme, vendor = db.session.get(User, sides.sme_user), db.session.get(User, sides.vendor_user)
        terms = [PartyTerm(sides.vendor_org, "model", 6000), PartyTerm(sides.sme_org, "data", 4000)]
        agreement = draft_agreement(sme, "协议", "智能体", "数据", terms, [sides.offering],
                                    dataset_ids=[sides.dataset], model_ids=[sides.model])
        db.session.commit()
        version = amend(agreement.id, vendor, [PartyTerm(sides.vendor_org, "model", 5000),
                                               PartyTerm(sides.sme_org, "data", 5000)], [sides.offering], "五五分成")
        db.session.commit()
        assert version.number == 2
        assert [d.id for d in version.datasets] == [sides.dataset] and [m.id for m in version.models] == [sides.model]


def test_existing_agreements_without_named_sides_still_show(app, client, auth, sides):
    """An agreement that names no dataset or model (as every one before this change) shows its free texts."""
    from marketplace.accounts.models import User
    from marketplace.resonance.services import draft_agreement

    with app.app_context():
        sme = db.session.get(User, sides.sme_user)
        terms = [PartyTerm(sides.vendor_org, "model", 6000), PartyTerm(sides.sme_org, "data", 4000)]
        agreement_id = draft_agreement(sme, "旧协议", "旧的智能体描述", "旧的数据描述", terms, [sides.offering]).id
        db.session.commit()
    auth.login(sides.sme)
    page = client.get(f"/resonance/{agreement_id}").get_data(as_text=True)
    assert "旧的数据描述" in page.split('id="data-side"')[1] and "旧的智能体描述" in page.split('id="model-side"')[1]
