"""Calibrated relevance: the probability that a search result is relevant, the same scale for every query.

A hit's rank-fusion score only orders one query's results; this turns the hit's absolute evidence into
P(relevant) with a logistic model fitted on labelled data (`python -m embeddings.calibrate`, which
stores the coefficients per encoder backend in `calibration.json` beside this module). The features
mean the same whether the app searched everything or a filtered subset, because none is a rank:

    dense       cosine of query and document vectors (encoder-specific, hence per backend)
    lexical     the document's BM25 for the query divided by the query's self score (the sum of its
                terms' IDFs), in [0, 1): how much of what the query says the document says
    agreement   scenario agreement of query and document (Bhattacharyya, 0..1; 0.5 when unknown)
    confidence  the query's scenario confidence (largest probability of its distribution)

At query time only numpy arithmetic runs; scikit-learn is needed only to fit. The stored model also
carries the recommended floor and label thresholds (with the precision/recall measured at each).
A backend with no fitted entry uses the "*" entry, fitted on the encoder-free `lexical` feature
alone; with no file at all the relevance is the lexical share itself — monotone, in [0, 1], and
never high for a query whose words a document lacks.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FEATURES = ("dense", "lexical", "agreement", "confidence")
ENCODER_FREE = ("lexical",)
DEFAULT_PATH = Path(__file__).with_name("calibration.json")
FALLBACK_KEY = "*"
NEUTRAL_AGREEMENT = 0.5


@dataclass
class Calibrator:
    """A fitted logistic model over named features, with its recommended thresholds."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    floor: float = 0.5
    labels: dict[str, float] = field(default_factory=dict)
    source: str = "heuristic"

    def __post_init__(self) -> None:
        if len(self.features) != len(self.coef):
            raise ValueError("one coefficient per feature is required")

    def predict(self, values: Mapping[str, float | None]) -> float:
        """P(relevant) for one hit's features (a missing agreement counts as neutral, others as 0)."""
        if self.source == "heuristic":
            return float(min(1.0, max(0.0, values.get("lexical") or 0.0)))
        z = self.intercept
        for name, weight in zip(self.features, self.coef, strict=True):
            value = values.get(name)
            if value is None:
                value = NEUTRAL_AGREEMENT if name == "agreement" else 0.0
            z += weight * float(value)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def label(self, relevance: float) -> str | None:
        """The label a relevance earns ("high", "related", "possible"), None below the floor."""
        for name in ("high", "related"):
            if name in self.labels and relevance >= self.labels[name]:
                return name
        return "possible" if relevance >= self.floor else None

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"features": list(self.features), "coef": list(self.coef), "intercept": self.intercept,
                "floor": self.floor, "labels": dict(self.labels)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str) -> Calibrator:
        """Read a stored entry."""
        return cls(tuple(str(f) for f in data["features"]), tuple(float(c) for c in data["coef"]),
                   float(data["intercept"]), float(data.get("floor", 0.5)),
                   {str(k): float(v) for k, v in dict(data.get("labels", {})).items()}, source)


def heuristic() -> Calibrator:
    """The documented fallback: relevance = lexical share (no file, or no usable entry)."""
    return Calibrator(ENCODER_FREE, (1.0,), 0.0, floor=0.5, labels={"high": 0.8, "related": 0.65})


def read_models(path: str | Path = DEFAULT_PATH) -> dict[str, Any]:
    """The stored models {backend: entry}, empty when the file is missing or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return dict(data.get("models", {})) if isinstance(data, dict) else {}


def load_calibrator(backend: str, path: str | Path = DEFAULT_PATH) -> Calibrator:
    """The calibrator for an encoder backend: its own entry, else the encoder-free one, else heuristic."""
    models = read_models(path)
    for key in (backend, FALLBACK_KEY):
        entry = models.get(key)
        if entry:
            try:
                return Calibrator.from_dict(entry, key)
            except (KeyError, TypeError, ValueError):
                continue
    return heuristic()


def feature_row(values: Mapping[str, float | None], names: Sequence[str] = FEATURES) -> list[float]:
    """Feature values in a fixed order (missing agreement neutral, other missing values 0)."""
    out = []
    for name in names:
        value = values.get(name)
        out.append(float(value) if value is not None else (NEUTRAL_AGREEMENT if name == "agreement" else 0.0))
    return out
