"""Is a dataset listed, shown and filtered like other listings: drafts and hidden ones never public, facets that
narrow the list, the owner's rules for its data card, and a card that shows no data?"""
from __future__ import annotations

from sqlalchemy import select

from marketplace.datasets.models import Dataset
from marketplace.extensions import db
from tests.factories import make_dataset, make_user

FORM = {"title": "CNC 主轴振动数据集", "summary": "18 台加工中心主轴振动与刀具更换记录。", "industries": ["equipment"],
        "scenarios": ["predictive_maintenance"], "modalities": ["timeseries"], "volume_amount": "18",
        "volume_unit": "个月 1 kHz 信号", "span_from": "2024-11-01", "span_to": "2026-04-30", "labelling": "partial",
        "labels": "刀具磨损阶段", "sensitivity": "general", "access_mode": "licensed",
        "registration_no": "DGIDR-2026-00999", "collection": "主轴三轴振动加速度计，1 kHz。"}


def test_an_owner_lists_a_draft_that_only_it_sees_until_published(app, client, auth):
    """A new dataset is a draft: 404 to visitors and absent from the list, public once the owner publishes it."""
    owner = auth.as_role("enterprise")
    assert client.post("/datasets/new", data=FORM).status_code == 302
    with app.app_context():
        dataset = db.session.scalars(select(Dataset)).one()
        assert dataset.state == "draft" and dataset.organisation_id == owner.org_id
        dataset_id = dataset.id
    assert client.get(f"/datasets/{dataset_id}").status_code == 200
    auth.logout()
    assert client.get(f"/datasets/{dataset_id}").status_code == 404
    assert FORM["title"] not in client.get("/datasets/").get_data(as_text=True)
    assert client.get("/api/v1/datasets/%d" % dataset_id).status_code in (401, 404)
    auth.login(owner.email)
    assert client.post(f"/datasets/{dataset_id}/publish").status_code == 302
    auth.logout()
    assert client.get(f"/datasets/{dataset_id}").status_code == 200
    page = client.get("/datasets/").get_data(as_text=True)
    assert FORM["title"] in page and "DGIDR-2026-00999" in client.get(f"/datasets/{dataset_id}").get_data(as_text=True)


def test_a_hidden_or_delisted_dataset_is_not_public(app, client):
    """A dataset hidden by a moderator or delisted by its owner is neither listed nor readable by visitors."""
    with app.app_context():
        org = make_user("vendor").organisation
        hidden = make_dataset(org, title="隐藏的数据集", moderation="hidden")
        delisted = make_dataset(org, title="已下架的数据集", state="delisted")
        shown = make_dataset(org, title="公开的数据集")
        ids = (hidden.id, delisted.id, shown.id)
    page = client.get("/datasets/").get_data(as_text=True)
    assert "公开的数据集" in page and "隐藏的数据集" not in page and "已下架的数据集" not in page
    assert [client.get(f"/datasets/{i}").status_code for i in ids] == [404, 404, 200]


def test_facets_narrow_the_list(app, client):
    """Modality, access mode, industry and scenario each keep only the datasets that carry them."""
    with app.app_context():
        org = make_user("enterprise").organisation
        make_dataset(org, title="图像甲", modalities=["image"], access_mode="sample", industries=["electronics"],
                     scenarios=["online_inspection"])
        make_dataset(org, title="时序乙", modalities=["timeseries"], access_mode="compute_to_data",
                     industries=["equipment"], scenarios=["predictive_maintenance"], sample_available=False)
    def titles(query: str) -> set[str]:
        html = client.get(f"/datasets/?{query}").get_data(as_text=True)
        return {t for t in ("图像甲", "时序乙") if t in html}
    assert titles("") == {"图像甲", "时序乙"}
    assert titles("modality=image") == {"图像甲"}
    assert titles("access_mode=compute_to_data") == {"时序乙"}
    assert titles("industry=electronics") == {"图像甲"}
    assert titles("scenario=predictive_maintenance") == {"时序乙"}
    assert titles("modality=image&scenario=predictive_maintenance") == set()


def test_core_data_only_stays_with_its_owner(app, client, auth):
    """Core data (核心数据) offered for licensed use is refused on the access-mode field; 可用不可见 is accepted."""
    auth.as_role("enterprise")
    refused = client.post("/datasets/new", data={**FORM, "sensitivity": "core", "access_mode": "licensed"})
    assert refused.status_code == 422 and "核心数据" in refused.get_data(as_text=True)
    accepted = client.post("/datasets/new", data={**FORM, "sensitivity": "core", "access_mode": "compute_to_data"})
    assert accepted.status_code == 302


def test_the_time_span_and_labels_must_make_sense(app, client, auth):
    """A span that ends before it starts, or labelling without saying what is labelled, is refused."""
    auth.as_role("vendor")
    backwards = client.post("/datasets/new", data={**FORM, "span_from": "2026-05-01", "span_to": "2025-01-01"})
    unlabelled = client.post("/datasets/new", data={**FORM, "labels": ""})
    assert (backwards.status_code, unlabelled.status_code) == (422, 422)
    with app.app_context():
        assert db.session.scalars(select(Dataset)).all() == []


def test_only_the_owner_edits_and_centers_cannot_list(app, client, auth):
    """Another vendor is refused the owner's edit page; a promotion center cannot list a dataset."""
    with app.app_context():
        dataset_id = make_dataset(make_user("enterprise").organisation).id
    auth.as_role("vendor")
    assert client.post(f"/datasets/{dataset_id}/edit", data=FORM).status_code == 403
    auth.logout()
    auth.as_role("center")
    assert client.post("/datasets/new", data=FORM).status_code == 403


def test_the_card_has_no_download_of_the_data(app, client):
    """A dataset's page offers no file of the data: no download link or attachment."""
    with app.app_context():
        dataset_id = make_dataset(make_user("enterprise").organisation).id
    response = client.get(f"/datasets/{dataset_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "download" not in html.lower()
    assert "Content-Disposition" not in response.headers
