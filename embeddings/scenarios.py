"""Scenario-aware ranking support: scenario distributions for free text and their agreement.

The taxonomy (codes with a name and description each) is passed in by the caller; this module
never imports it. Each scenario description is encoded once as a passage (about 9 s for the 40 MIIT
descriptions with e5 on two cores), and the caller may keep those vectors under `vectors_key` and hand
them back, so a new process does not encode them again. A text (or a vector
already encoded) gets a probability distribution over scenarios: a softmax over its cosine
similarity to each scenario vector, with a temperature suited to the backend's similarity range
(e5 cosines crowd into roughly 0.75-0.90, so it needs a much lower temperature than USE).
A known taxonomy code becomes a one-hot distribution. `agreement` is the Bhattacharyya
coefficient Σ√(p·q): 1 for identical distributions, 0 for disjoint ones, √p(code) against a one-hot.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from .encoder import Encoder

TEMPERATURES = {"e5": 0.01, "use": 0.05, "sentence-transformers": 0.05}

Distribution = Mapping[str, float]


def vectors_key(scenarios: Mapping[str, str], encoder: Encoder) -> str:
    """The identity of a taxonomy's description vectors under one encoder: the encoder's model id and the codes
    with their descriptions. Vectors kept under this key are the vectors encoding would give."""
    names = json.dumps([[str(c), str(scenarios[c])] for c in scenarios], ensure_ascii=False)
    return hashlib.sha256(f"{encoder.model_id}\0{encoder.dim}\0{names}".encode()).hexdigest()[:32]


class ScenarioModel:
    """Scenario vectors for one encoder, and predictions against them."""

    def __init__(self, scenarios: Mapping[str, str], encoder: Encoder, temperature: float | None = None,
                 vectors: npt.ArrayLike | None = None) -> None:
        """Encode the descriptions, or take `vectors` kept from an earlier encoding (under `vectors_key`; rows in
        the order of `scenarios`) when their shape fits."""
        if not scenarios:
            raise ValueError("at least one scenario description is required")
        self.codes: list[str] = [str(c) for c in scenarios]
        self._index = {c: i for i, c in enumerate(self.codes)}
        self.encoder = encoder
        self.texts: dict[str, str] = {c: str(scenarios[c]) for c in self.codes}
        self.temperature = float(temperature or TEMPERATURES.get(encoder.backend, 0.05))
        kept = np.asarray(vectors, dtype=np.float32) if vectors is not None else None
        if kept is not None and kept.shape == (len(self.codes), encoder.dim):
            self.vectors = np.ascontiguousarray(kept)
            self.encoded = False
        else:
            self.vectors = encoder.passage([str(scenarios[c]) for c in scenarios])
            self.encoded = True

    def __contains__(self, code: object) -> bool:
        return code in self._index

    def predict_array(self, vectors: npt.ArrayLike) -> npt.NDArray[np.float32]:
        """Return an (n, n_scenarios) array of probabilities for (n, dim) unit vectors."""
        vecs = np.asarray(vectors, dtype=np.float32).reshape(-1, self.vectors.shape[1])
        logits = (vecs @ self.vectors.T) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        out: npt.NDArray[np.float32] = probs / probs.sum(axis=1, keepdims=True)
        return out

    def predict(self, text_or_vector: str | npt.NDArray[np.float32]) -> dict[str, float]:
        """Return {code: probability} for a text (encoded as a query) or an encoded vector."""
        if isinstance(text_or_vector, str):
            vec = self.encoder.query([text_or_vector])
        else:
            vec = np.asarray(text_or_vector, dtype=np.float32)
        return self.to_dict(self.predict_array(vec)[0])

    def to_dict(self, probs: npt.NDArray[np.float32]) -> dict[str, float]:
        """Turn a probability row into {code: probability}."""
        return {c: float(p) for c, p in zip(self.codes, probs, strict=True)}

    def one_hot(self, code: str) -> dict[str, float]:
        """Return the distribution of a known taxonomy code; raises KeyError for an unknown one."""
        if code not in self._index:
            raise KeyError(f"unknown scenario code {code!r}")
        return {c: (1.0 if c == code else 0.0) for c in self.codes}

    def top(self, dist: Distribution, n: int = 3) -> list[tuple[str, float]]:
        """Return the n most probable (code, probability) pairs, ties by code."""
        return sorted(dist.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def one_hot(code: str) -> dict[str, float]:
    """A distribution that puts all mass on one scenario code."""
    return {str(code): 1.0}


def agreement(dist_a: Distribution | None, dist_b: Distribution | None) -> float:
    """Bhattacharyya coefficient of two scenario distributions, in [0, 1] (0 if either is empty)."""
    return AgreementWith(dist_a)(dist_b)


class AgreementWith:
    """`agreement(dist_a, ·)` for many distributions: ranking compares one query with hundreds of documents, and
    summing the query's distribution once instead of per document was a tenth of a search's Python time."""

    def __init__(self, dist_a: Distribution | None) -> None:
        self.dist = dist_a or {}
        self.total = sum(max(v, 0.0) for v in self.dist.values())

    def __call__(self, dist_b: Distribution | None) -> float:
        dist_a = self.dist
        if not dist_a or not dist_b:
            return 0.0
        total_b = sum(max(v, 0.0) for v in dist_b.values())
        if self.total <= 0 or total_b <= 0:
            return 0.0
        small, large = (dist_a, dist_b) if len(dist_a) <= len(dist_b) else (dist_b, dist_a)
        coeff = 0.0
        for code, p in small.items():
            q = large.get(code, 0.0)
            if p > 0 and q > 0:
                coeff += (p * q) ** 0.5
        coeff /= (self.total * total_b) ** 0.5
        return float(min(1.0, max(0.0, coeff)))
