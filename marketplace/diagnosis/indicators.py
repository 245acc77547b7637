"""The indicator system of the self-assessment, read from `indicators.json`.

The JSON holds what could be read of MIIT's 《中小企业数字化水平评测指标（2024年版）》 (工信厅企业〔2024〕56号,
2024-09-04) with its source and date, what could not be found, how the points are derived, and the questions,
grouped by the standard's four dimensions, in Chinese and English. The text is data of the standard (like a
policy instrument's basis), so it carries both languages itself rather than going through the catalogue.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marketplace.templating import current_locale

SOURCE = Path(__file__).with_name("indicators.json")


@dataclass(frozen=True)
class Text:
    """A text of the indicator system in both languages."""

    zh: str
    en: str

    def __str__(self) -> str:
        """Return the text in the current language."""
        return self.en if current_locale().startswith("en") else self.zh


@dataclass(frozen=True)
class Question:
    """One question: its code, text and answers (answer i earns i points)."""

    code: str
    text: Text
    options: tuple[Text, ...]

    @property
    def max_points(self) -> int:
        """The points of the best answer."""
        return len(self.options) - 1


@dataclass(frozen=True)
class Group:
    """A second-level grouping of questions within a dimension."""

    name: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Dimension:
    """One of the standard's four dimensions with its groups of questions."""

    code: str
    name: Text
    groups: tuple[Group, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of the dimension, in order."""
        return tuple(q for g in self.groups for q in g.questions)


@dataclass(frozen=True)
class IndicatorSystem:
    """The whole indicator system: version, source, what was and was not found, bands and dimensions."""

    version: str
    title: Text
    source: dict
    found: tuple[Text, ...]
    not_found: tuple[Text, ...]
    derivation: Text
    dimension_points: int
    bands: tuple[tuple[int, int], ...]
    dimensions: tuple[Dimension, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in order."""
        return tuple(q for d in self.dimensions for q in d.questions)

    def dimension(self, code: str) -> Dimension:
        """Return a dimension by code."""
        return next(d for d in self.dimensions if d.code == code)


def text(raw: dict) -> Text:
    """Read a {zh, en} pair."""
    return Text(raw["zh"], raw["en"])


@cache
def indicator_system() -> IndicatorSystem:
    """Load the indicator system once per process."""
    raw = json.loads(SOURCE.read_text(encoding="utf-8"))
    dims = tuple(Dimension(d["code"], text(d), tuple(
        Group(text(g), tuple(Question(q["code"], text(q), tuple(text(o) for o in q["options"]))
                             for q in g["questions"])) for g in d["groups"])) for d in raw["dimensions"])
    return IndicatorSystem(raw["version"], text(raw["title"]), raw["source"], tuple(text(t) for t in raw["found"]),
                           tuple(text(t) for t in raw["not_found"]), text(raw["derivation"]),
                           int(raw["dimension_points"]), tuple((int(a), int(b)) for a, b in raw["bands"]), dims)
