"""Metric direction and measured values: one owner decides whether lower or higher is better, reads "0.35%" as a
number with a unit, marks the best value and ranks with ties."""
from __future__ import annotations

from decimal import Decimal

import pytest

from marketplace.cases.models import Better as CaseBetter
from marketplace.metrics import Better, best_positions, direction_of, measured, ranked


@pytest.mark.parametrize("metric,better", [
    ("漏检率", Better.LOWER), ("A 面缺陷漏检率", Better.LOWER), ("过杀率", Better.LOWER),
    ("剩余寿命预测 RMSE", Better.LOWER), ("日负荷预测 MAPE", Better.LOWER), ("单张推理时延（RTX 4060）", Better.LOWER),
    ("图像级 AUROC", Better.HIGHER), ("mAP@0.5", Better.HIGHER), ("故障分类准确率", Better.HIGHER),
    ("色差分级与人工一致率", Better.HIGHER), ("平均故障处理时长下降", Better.HIGHER), ("误报压降率", Better.HIGHER),
    ("平均色差 ΔE", Better.LOWER), ("耐盐雾时长预测 R²", Better.HIGHER),
])
def test_direction_is_read_from_the_metric_name(metric, better):
    """Is an error, a miss rate or a time lower-is-better, and an accuracy or a reduction higher-is-better?"""
    assert direction_of(metric) is better


def test_a_metric_that_does_not_say_has_no_direction():
    """Does a name like 大模型安全评测 get no direction (so nothing is marked best or ranked)?"""
    assert direction_of("大模型安全评测") is None and direction_of("") is None


def test_cases_read_the_same_direction():
    """Do case results and model evaluations share one definition of which way is better?"""
    assert CaseBetter is Better


@pytest.mark.parametrize("value,read", [
    ("0.35%", (Decimal("0.35"), "%")), ("120 ms", (Decimal("120"), "ms")),
    ("3,150 任务/小时", (Decimal("3150"), "任务/小时")),
    ("0.93", (Decimal("0.93"), "")), ("约 12.4 循环", (Decimal("12.4"), "循环")),
    ("通过", None), ("L3（任务规划与工具调用）", None), ("14 轮 → 6 轮", None), ("≤1.2%", None),
])
def test_measured_values_read_as_number_and_unit(value, read):
    """Is a value one number with an optional unit, and anything else not a number?"""
    assert measured(value) == read


def test_best_follows_the_direction():
    """Is the smallest value best for a lower-is-better metric and the largest for a higher-is-better one?"""
    values = ["0.8%", "1.1%", None, "0.8%"]
    assert best_positions(values, Better.LOWER) == {0, 3}
    assert best_positions(values, Better.HIGHER) == {1}


def test_no_best_without_direction_or_a_common_unit():
    """Is nothing marked when the direction is unknown, the units differ, or only one value is readable?"""
    assert best_positions(["1%", "2%"], None) == set()
    assert best_positions(["12 ms", "0.02 s"], Better.LOWER) == set()
    assert best_positions(["1%", "通过"], Better.LOWER) == set()


def test_ranks_share_ties_and_skip_after_them():
    """Do tied values share a rank, the next one taking its place in the order (1, 2, 2, 4)?"""
    values = ["98.9%", "98.1%", "97.6%", "98.1%", "n/a"]
    assert [(rank, v) for rank, v in ranked(values, lambda v: v, Better.HIGHER)] == [
        (1, "98.9%"), (2, "98.1%"), (2, "98.1%"), (4, "97.6%")]
    assert [v for _rank, v in ranked(["31 ms", "23 ms"], lambda v: v, Better.LOWER)] == ["23 ms", "31 ms"]
