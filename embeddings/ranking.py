"""The ranking levers of a hybrid search and what a query is before it is searched.

`RankingOptions` names every lever `HybridIndex` can pull besides the fusion weights, with the defaults
measured in `defaults.py` (a lever at 0 is off). `QueryAnalysis` is a query understood once — its
vector, its terms, its scenario distribution and how sure that distribution is — so the app can show
the predicted scenarios and search with the same work, encoding the query a single time.
The functions here are the levers' arithmetic, kept free of index state so each can be tested alone.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

ORDERS = ("fusion", "relevance")


@dataclass(frozen=True)
class RankingOptions:
    """Levers of a hybrid search (see `defaults.py` for what each one measured).

    predicted_boost: share of the score given to agreement with a *predicted* query scenario (None =
        the index's `predicted_scenario_boost`);
    expansion: weight of the lexical query's taxonomy expansion — the terms of the query's most likely
        scenarios, each weighted by that scenario's probability (0 = off);
    expansion_scenarios: how many of the most likely scenarios expand the query;
    adaptive_boost: scale the predicted-scenario boost by the prediction's confidence (max probability);
    neighbour_scenarios: share of the predicted scenario distribution taken from the scenarios of the
        query's nearest documents (those with a taxonomy code) rather than from scenario descriptions;
    neighbours: how many nearest documents vote;
    prf: Rocchio weight of the mean vector of the top `prf_docs` dense hits added to the query vector;
    aux_weight: weight of the auxiliary encoder's ranked list in the fusion (0 = not used);
    content_terms: a document with fewer distinct terms than this is discounted in proportion
        (a text that says one thing many times has few distinct terms; 0 = off);
    order: "fusion" ranks by the fused score, "relevance" by the calibrated relevance.
    """

    predicted_boost: float | None = None
    expansion: float = 0.0
    expansion_scenarios: int = 2
    adaptive_boost: bool = False
    neighbour_scenarios: float = 0.0
    neighbours: int = 10
    prf: float = 0.0
    prf_docs: int = 3
    aux_weight: float = 0.0
    content_terms: int = 0
    order: str = "fusion"

    def __post_init__(self) -> None:
        if self.order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}, not {self.order!r}")

    def updated(self, overrides: Mapping[str, Any] | None) -> RankingOptions:
        """A copy with some levers changed (unknown names raise ValueError)."""
        if not overrides:
            return self
        known = {f.name: f.type for f in fields(self)}
        unknown = set(overrides) - set(known)
        if unknown:
            raise ValueError(f"unknown ranking option(s): {', '.join(sorted(unknown))}")
        return replace(self, **dict(overrides))


@dataclass
class QueryAnalysis:
    """A query understood once: pass it back to `HybridIndex.search(..., analysis=)` to reuse the work.

    `scenarios` is the query's scenario distribution (None without a scenario model), `confidence` its
    largest probability (1 for a given code), `given` True when the caller named the scenario.
    """

    text: str
    vector: npt.NDArray[np.float32]
    terms: list[str]
    scenarios: dict[str, float] | None = None
    confidence: float = 0.0
    given: bool = False
    aux_vector: npt.NDArray[np.float32] | None = None
    extra: dict[str, float] = field(default_factory=dict)

    def top_scenarios(self, n: int = 3) -> list[tuple[str, float]]:
        """The n most probable (code, probability) pairs, ties by code."""
        if not self.scenarios:
            return []
        return sorted(self.scenarios.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def mix(a: Mapping[str, float], b: Mapping[str, float] | None, share_b: float) -> dict[str, float]:
    """(1 - share_b)·a + share_b·b over the union of codes (a alone when b is empty)."""
    if not b or share_b <= 0:
        return dict(a)
    out = {c: (1.0 - share_b) * p for c, p in a.items()}
    for code, p in b.items():
        out[code] = out.get(code, 0.0) + share_b * p
    return out


def neighbour_distribution(similarities: Sequence[tuple[str, float]], temperature: float) -> dict[str, float]:
    """Scenario distribution from (code, cosine) of the nearest coded documents: softmax-weighted votes."""
    if not similarities:
        return {}
    top = max(s for _, s in similarities)
    out: dict[str, float] = {}
    for code, sim in similarities:
        out[code] = out.get(code, 0.0) + math.exp((sim - top) / temperature)
    total = sum(out.values())
    return {c: v / total for c, v in out.items()}


def expansion_terms(query_terms: Sequence[str], scenario_terms: Mapping[str, Sequence[str]],
                    top: Sequence[tuple[str, float]], weight: float) -> dict[str, float]:
    """The weighted lexical query: each query term at 1, plus each scenario's terms.

    A scenario with probability p adds its distinct terms sharing `weight · p` times the query's own
    mass (so a long description does not drown a short query); a term the query has keeps weight 1.
    """
    out: dict[str, float] = dict.fromkeys(query_terms, 1.0)
    if weight <= 0 or not out:
        return out
    mass = float(len(out))
    for code, p in top:
        terms = [t for t in dict.fromkeys(scenario_terms.get(code, ())) if t not in out or out[t] < 1.0]
        if not terms or p <= 0:
            continue
        each = weight * p * mass / len(terms)
        for term in terms:
            out[term] = out.get(term, 0.0) + each
    return out


def rocchio(vector: npt.NDArray[np.float32], feedback: npt.NDArray[np.float32], beta: float) -> npt.NDArray[np.float32]:
    """Unit query vector moved towards the mean of feedback vectors by `beta`."""
    if beta <= 0 or len(feedback) == 0:
        return vector
    moved = vector + beta * feedback.mean(axis=0)
    norm = float(np.linalg.norm(moved))
    return (moved / norm).astype(np.float32) if norm > 0 else vector


def content_factor(distinct_terms: int, needed: int) -> float:
    """1 for a document with at least `needed` distinct terms, proportionally less below (0 = off)."""
    if needed <= 0:
        return 1.0
    return min(1.0, max(distinct_terms, 1) / needed)


def adaptive(boost: float, confidence: float, on: bool) -> float:
    """The scenario boost for a predicted distribution: scaled by its confidence when `on`."""
    return boost * confidence if on else boost
