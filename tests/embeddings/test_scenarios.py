"""Scenario distributions from text and their agreement."""
from __future__ import annotations

import numpy as np
import pytest

from embeddings.scenarios import AgreementWith, ScenarioModel, agreement, one_hot


@pytest.fixture(scope="module")
def model(e5, scenario_texts) -> ScenarioModel:
    """Scenario vectors for the 40 taxonomy scenarios with the default encoder."""
    return ScenarioModel(scenario_texts, e5)


def test_prediction_is_a_distribution_over_all_codes(model, scenario_texts):
    """Does predict return one probability per scenario code, summing to 1?"""
    dist = model.predict("车间工人不戴安全帽，想用摄像头自动识别")
    assert set(dist) == set(scenario_texts)
    assert sum(dist.values()) == pytest.approx(1.0)
    assert all(p >= 0 for p in dist.values())


@pytest.mark.parametrize("text, code", [
    ("车间工人不戴安全帽，想用摄像头自动识别", "safety_control"),
    ("数控机床主轴轴承振动监测，预测剩余寿命", "predictive_maintenance"),
    ("AGV 小车调度，线边物料配送不及时", "material_delivery"),
    ("仓库库位优化，拣货路径太长", "smart_warehousing"),
    ("APS 排产，插单换线频繁", "shop_scheduling"),
])
def test_clear_texts_get_their_scenario_on_top(model, text, code):
    """Is an unambiguous need's most probable scenario the right one?"""
    dist = model.predict(text)
    assert max(dist, key=dist.get) == code


def test_predict_accepts_a_vector(model, e5):
    """Does a pre-encoded vector give the same distribution as its text?"""
    text = "空压机节能改造"
    from_text = model.predict(text)
    from_vec = model.predict(e5.query([text])[0])
    assert from_text == pytest.approx(from_vec)


def test_one_hot_for_a_known_code_and_error_for_an_unknown(model):
    """Is a taxonomy code a one-hot distribution, and an unknown code a KeyError?"""
    dist = model.one_hot("online_inspection")
    assert dist["online_inspection"] == 1.0 and sum(dist.values()) == 1.0
    with pytest.raises(KeyError):
        model.one_hot("blockchain")


def test_agreement_bounds_and_known_values():
    """Is agreement 1 for identical, 0 for disjoint, √p against a one-hot, and symmetric?"""
    a = {"x": 0.25, "y": 0.75}
    assert agreement(a, a) == pytest.approx(1.0)
    assert agreement(one_hot("x"), one_hot("y")) == 0.0
    assert agreement(one_hot("x"), a) == pytest.approx(0.5)
    assert agreement(a, one_hot("x")) == agreement(one_hot("x"), a)
    assert agreement(None, a) == 0.0 and agreement({}, a) == 0.0


def test_one_query_compared_with_many_documents_keeps_the_known_values():
    """Ranking compares one query distribution with hundreds of documents through one AgreementWith."""
    query = {"x": 0.25, "y": 0.75, "z": 0.0}
    against = AgreementWith(query)
    assert [against(d) for d in (one_hot("x"), one_hot("y"), one_hot("z"), {"x": 0.25, "y": 0.75}, None, {})] == \
        pytest.approx([0.5, 0.75 ** 0.5, 0.0, 1.0, 0.0, 0.0])
    assert AgreementWith(None)(one_hot("x")) == 0.0


def test_agreement_of_predictions_is_higher_for_related_texts(model):
    """Do two maintenance texts agree more than a maintenance and a warehouse text?"""
    a = model.predict("主轴轴承故障预测")
    b = model.predict("电机振动监测，减少非计划停机")
    c = model.predict("仓库拣货路径优化")
    assert agreement(a, b) > agreement(a, c)
    assert 0.0 <= agreement(a, c) <= 1.0


def test_predict_array_rows_sum_to_one(model, e5):
    """Does batch prediction return a probability row per vector?"""
    probs = model.predict_array(e5.passage(["视觉质检", "能耗管理"]))
    assert probs.shape == (2, len(model.codes))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
