"""Weighted reciprocal rank fusion of several rankings into one, deterministically."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60


def fuse(rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float] | None = None,
         k: int = RRF_K) -> list[tuple[str, float]]:
    """Return (doc_id, score) best first, score = Σ weight / (k + rank); ties broken by doc id.

    A ranking missing from `weights` counts with weight 1; a doc repeated within one ranking
    counts at its best rank only. The order of the `rankings` mapping does not matter.
    """
    weights = weights or {}
    scores: dict[str, float] = {}
    for name in sorted(rankings):
        weight = float(weights.get(name, 1.0))
        if weight == 0:
            continue
        seen: set[str] = set()
        for rank, doc_id in enumerate(rankings[name], start=1):
            if doc_id in seen:
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def max_score(weights: Mapping[str, float], names: Sequence[str], k: int = RRF_K) -> float:
    """The score of a doc ranked first in every named ranking (for scaling fused scores to 0..1)."""
    return sum(float(weights.get(n, 1.0)) for n in names) / (k + 1)
