"""Which way a measured indicator improves, and reading and comparing measured values.

One owner for "is lower or higher better": a case's measured results (`cases.models.CaseResult.better`, chosen
by the curator), the comparison table's best value and the leaderboard's ranks (`marketplace.compare`) all read
`Better` from here. A model evaluation names its metric in free text, so `direction_of` reads the direction from
the metric's name: the metrics the seed and the evaluation bodies use are listed, and a name that says what it
measures (漏检率, 误差, 耗时 … lower; 准确率, 召回率, AUROC … higher) is recognised; anything else has no
direction, and then nothing is marked best or ranked.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TypeVar

T = TypeVar("T")


class Better(str, enum.Enum):
    """Which way a measured indicator improves."""

    LOWER = "lower"
    HIGHER = "higher"


LOWER_WORDS = ("漏检", "误报", "误检", "过杀", "错分", "错误", "误差", "偏差", "耗时", "时延", "延迟",
               "时长", "响应时间", "求解时间", "处理时间", "超时", "延误", "报损", "节拍", "次数", "轮次",
               "极差", "色差", "比功率", "能耗", "消耗", "样本数", "周期", "用时", "时间", "天数", "成本", "工时",
               "用电量", "不良", "报废", "返工", "泄漏", "漏油", "流出", "退货", "损坏", "事故", "人员", "操作工",
               "坐席", "岗位", "mae", "mse", "rmse", "mape", "wmape", "arpd",
               "latency", "error", "loss", "miss", "false")
"""Words that name something to keep small: misses, false alarms, errors, time taken, cycles, consumption, cost,
defects, scrap, rework, incidents, tries, and the people a task needs."""

HIGHER_WORDS = ("准确", "正确", "精度", "召回", "查准", "查全", "检出", "发现", "命中", "一致", "成功",
                "完成", "解决", "合格", "合规", "通过", "对色", "达成", "利用率", "符合", "完整", "采纳", "准交",
                "覆盖", "吞吐", "提前", "稼动率", "产量", "优等品", "日处理", "准时",
                "cop", "cpk", "auroc", "auc", "map", "f1", "r²", "r2", "iou", "accuracy",
                "precision", "recall", "throughput",
                # an improvement ("库存金额下降 18%", "误报压降率") is better when larger, whatever it improves
                "下降", "降幅", "压降", "缩短", "节省", "提升", "提高", "减少", "reduction", "saving")
"""Words that name something to make large: accuracy, recall, hit and pass rates, utilisation, output per shift or
day, on-time rates, efficiency, improvements."""

WORDS = {**{w: Better.LOWER for w in LOWER_WORDS}, **{w: Better.HIGHER for w in HIGHER_WORDS}}


def normalise(text: str | None) -> str:
    """Fold a metric or dataset name for matching: case, full-width spaces and runs of blanks don't count."""
    return re.sub(r"\s+", " ", (text or "").replace("\u3000", " ")).strip().casefold()


def direction_of(metric: str | None) -> Better | None:
    """Return which way the named metric improves, or None when its name does not say.

    The word that ends last decides, as the head of a Chinese noun phrase comes last: 色差分级与人工一致率 is an
    agreement rate (higher), 平均故障处理时长下降 a reduction (higher), 剩余寿命预测平均误差 an error (lower)."""
    name = normalise(metric)
    found = [(name.rfind(word) + len(word), len(word), better) for word, better in WORDS.items() if word in name]
    return max(found, key=lambda hit: hit[:2])[2] if found else None


NUMBER = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)")


def measured(value: str | None) -> tuple[Decimal, str] | None:
    """Read a measured value as (number, unit): "0.35%" → (0.35, "%"), "120 ms" → (120, "ms"); None if no number.

    Only a value that is one number followed by an optional unit is read; "L3 级（共 5 级）" or "通过" are not."""
    text = (value or "").strip().lstrip("≈~约").strip()
    found = NUMBER.findall(text)
    if len(found) != 1 or not text.startswith(found[0]):
        return None
    try:
        number = Decimal(found[0].replace(",", ""))
    except InvalidOperation:
        return None
    return number, text[len(found[0]):].strip()


def best_positions(values: Sequence[str | None], better: Better | None) -> set[int]:
    """Return the positions of the best values (ties share it), or none when the direction is unknown, fewer than
    two values can be read as numbers, or the readable values do not share one unit."""
    if better is None:
        return set()
    read = {i: m for i, v in enumerate(values) if (m := measured(v)) is not None}
    if len(read) < 2 or len({unit for _n, unit in read.values()}) != 1:
        return set()
    pick = min if better is Better.LOWER else max
    best = pick(number for number, _unit in read.values())
    return {i for i, (number, _unit) in read.items() if number == best}


def ranked(items: Sequence[T], value_of: Callable[[T], str | None], better: Better) -> list[tuple[int, T]]:
    """Rank items by their measured value in the metric's direction, ties sharing a rank (1, 1, 3).

    Items whose value cannot be read are left out; values in different units are not ranked at all (empty)."""
    read = [(m, item) for item in items if (m := measured(value_of(item))) is not None]
    if len({unit for (_n, unit), _item in read}) > 1:
        return []
    readable = [(number, item) for (number, _unit), item in read]
    readable.sort(key=lambda pair: pair[0], reverse=better is Better.HIGHER)
    ranks: list[tuple[int, T]] = []
    for position, (number, item) in enumerate(readable):
        rank = ranks[-1][0] if ranks and readable[position - 1][0] == number else position + 1
        ranks.append((rank, item))
    return ranks
