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
    nearest     the query's best cosine to any indexed document (unfiltered: how well the catalogue
                covers the query at all — low for a question nothing here answers)
    domain      the query's best cosine to any scenario description (how much it reads like a
                manufacturing scenario)
    aux_nearest the same as `nearest` with the auxiliary encoder (USE) when the index keeps one; it
                separates questions about something else entirely best of all
    aux         the auxiliary encoder's cosine of query and document (cross-lingual: carries English
                queries over Chinese listings)

The probability is the product of two fitted logistic models: the query-level *gate*, P(the query
is one the catalogue answers at all) from `confidence`, `nearest`, `domain` and `aux_nearest` (fitted on
in-domain against out-of-domain queries, classes balanced), and the hit-level P(relevant | in domain)
from `dense`, `lexical`, `agreement`, `confidence` and `aux` (fitted on in-domain queries' hits).
At query time only plain arithmetic runs; scikit-learn is needed only to fit. The stored model also
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

from .ranking import QueryAnalysis

FEATURES = ("dense", "lexical", "agreement", "confidence", "nearest", "domain", "aux_nearest", "aux")
HIT_FEATURES = ("dense", "lexical", "agreement", "confidence", "aux")
GATE_FEATURES = ("confidence", "nearest", "domain", "aux_nearest")
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
    gate_features: tuple[str, ...] = ()
    gate_coef: tuple[float, ...] = ()
    gate_intercept: float = 0.0

    def __post_init__(self) -> None:
        if len(self.features) != len(self.coef) or len(self.gate_features) != len(self.gate_coef):
            raise ValueError("one coefficient per feature is required")

    @staticmethod
    def _logistic(names: Sequence[str], coef: Sequence[float], intercept: float,
                  values: Mapping[str, float | None]) -> float:
        """σ(intercept + Σ coef·value) (a missing agreement counts as neutral, other missing values as 0)."""
        z = intercept
        for name, weight in zip(names, coef, strict=True):
            value = values.get(name)
            if value is None:
                value = NEUTRAL_AGREEMENT if name == "agreement" else 0.0
            z += weight * float(value)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def predict(self, values: Mapping[str, float | None]) -> float:
        """P(relevant) for one hit's features (a missing agreement counts as neutral, others as 0)."""
        if self.source == "heuristic":
            return float(min(1.0, max(0.0, values.get("lexical") or 0.0)))
        p = self._logistic(self.features, self.coef, self.intercept, values)
        if self.gate_features:
            p *= self.in_domain(values)
        return p

    def in_domain(self, values: Mapping[str, float | None]) -> float:
        """P(the query is one the catalogue can answer at all), from its query-level features (1 without a gate)."""
        if not self.gate_features:
            return 1.0
        return self._logistic(self.gate_features, self.gate_coef, self.gate_intercept, values)

    def label(self, relevance: float) -> str | None:
        """The label a relevance earns ("high", "related", "possible"), None below the floor."""
        for name in ("high", "related"):
            if name in self.labels and relevance >= self.labels[name]:
                return name
        return "possible" if relevance >= self.floor else None

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"features": list(self.features), "coef": list(self.coef), "intercept": self.intercept,
                "gate": {"features": list(self.gate_features), "coef": list(self.gate_coef),
                         "intercept": self.gate_intercept},
                "floor": self.floor, "labels": dict(self.labels)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str) -> Calibrator:
        """Read a stored entry."""
        gate = dict(data.get("gate") or {})
        return cls(tuple(str(f) for f in data["features"]), tuple(float(c) for c in data["coef"]),
                   float(data["intercept"]), float(data.get("floor", 0.5)),
                   {str(k): float(v) for k, v in dict(data.get("labels", {})).items()}, source,
                   tuple(str(f) for f in gate.get("features", ())), tuple(float(c) for c in gate.get("coef", ())),
                   float(gate.get("intercept", 0.0)))


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


def features(dense: float | None, lexical: float | None, agreement: float | None,
             analysis: QueryAnalysis, aux: float | None = None) -> dict[str, float | None]:
    """The named features of one hit of an analysed query."""
    return {"dense": dense, "lexical": lexical, "agreement": agreement, "confidence": analysis.confidence,
            "aux": aux,
            "nearest": analysis.extra.get("nearest"), "domain": analysis.extra.get("domain"),
            "aux_nearest": analysis.extra.get("aux_nearest")}


def feature_row(values: Mapping[str, float | None], names: Sequence[str] = FEATURES) -> list[float]:
    """Feature values in a fixed order (missing agreement neutral, other missing values 0)."""
    out = []
    for name in names:
        value = values.get(name)
        out.append(float(value) if value is not None else (NEUTRAL_AGREEMENT if name == "agreement" else 0.0))
    return out
