"""Do datasets and models find each other through the real search engine: a dataset's page offers models that
could be trained or tuned on it, a model card offers data that would let it serve a scenario, each sharing work
with the record and explained?"""
from __future__ import annotations

from marketplace.catalog.models import IndustrialModel
from marketplace.datasets.models import Dataset
from marketplace.datasets.pairing import datasets_for_model, models_for_dataset
from marketplace.extensions import db


def record(seeded, key: str):
    """Load a seeded record by its seed key."""
    _class_name, pk = seeded.ids[key]
    cls = Dataset if key.startswith("ds_") else IndustrialModel
    return db.session.get(cls, pk)


def shares_work(a, b) -> bool:
    """Tell whether two records share a scenario or an industry."""
    return bool(set(a.scenarios) & set(b.scenarios) or set(a.industries) & set(b.industries))


def test_a_tile_defect_dataset_finds_the_tile_defect_model_first(seeded):
    """The glazed-tile defect images rank the tile-defect small model among the first three; every model found
    shares work with the dataset and says why it matched."""
    with seeded.app.test_request_context():
        dataset = record(seeded, "ds_hongtao_tile")
        found = models_for_dataset(dataset, None)
        assert found and all(m.kind == "model" for m in found)
        assert record(seeded, "ma_taoyun_tile_defect").id in [m.record.id for m in found[:3]]
        assert all(shares_work(m.record, dataset) for m in found)
        assert all(m.same_scenario or m.same_industry for m in found)


def test_a_vibration_model_finds_vibration_data(seeded):
    """The injection-moulding machine maintenance model finds the moulding machines' vibration data among the
    first three datasets, and no dataset about unrelated work."""
    with seeded.app.test_request_context():
        model = record(seeded, "ma_songhu_imm_pdm")
        found = datasets_for_model(model, None)
        assert record(seeded, "ds_xinlian_imm").id in [m.record.id for m in found[:3]]
        assert all(shares_work(m.record, model) for m in found)


def test_pairing_pages_link_both_ways(seeded):
    """The dataset page's fragment links the model card; the model card's fragment links the dataset."""
    client = seeded.app.test_client()
    dataset_id, model_id = seeded.ids["ds_xinlian_imm"][1], seeded.ids["ma_songhu_imm_pdm"][1]
    models = client.get(f"/datasets/{dataset_id}/models", headers={"HX-Request": "true"})
    data = client.get(f"/datasets/for-model/{model_id}", headers={"HX-Request": "true"})
    assert models.status_code == data.status_code == 200
    assert f'href="/models/{model_id}"' in models.get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}"' in data.get_data(as_text=True)
    assert "Why it matched" in models.get_data(as_text=True) or "匹配原因" in models.get_data(as_text=True)
    assert f"/datasets/for-model/{model_id}" in client.get(f"/models/{model_id}").get_data(as_text=True)
