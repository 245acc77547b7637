"""`HybridIndex`: the one object the app talks to — dense + lexical retrieval, fused and explained.

It owns a `VectorIndex` and a `LexicalIndex` kept in step under one lock, the optional scenario
model for scenario-aware re-ranking, and the saved copy in a directory (layout in `store`). Query
encoding happens outside the lock, so searches only hold it for the few milliseconds of retrieval;
an edit is visible to the next search. `version` only grows, so a web worker can compare
`version_on_disk()` with its own `version` and reload.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from . import store
from .defaults import DEFAULT_CANDIDATES, DEFAULT_SCENARIO_BOOST, DEFAULT_WEIGHTS, PREDICTED_SCENARIO_BOOST
from .encoder import Encoder, Progress
from .errors import IndexCorrupt, IndexFileError
from .fsio import PathArg, ids_checksum
from .fusion import fuse, max_score
from .lexical import LexicalIndex, LexicalOptions
from .scenarios import ScenarioModel, agreement, one_hot
from .text import tokenize
from .vector import VectorIndex, VectorOptions

MANIFEST = store.MANIFEST
NEUTRAL_AGREEMENT = 0.5

Item: TypeAlias = tuple[str, str] | tuple[str, str, str | None] | Mapping[str, str | None]
"""A document to index: (id, text), (id, text, scenario) or a mapping with those keys."""
Ranking: TypeAlias = list[tuple[str, float]]
"""(doc_id, score) pairs from one retriever, best first."""


@dataclass
class Hit:
    """One search result with the evidence behind its rank.

    `score` is the fused relevance in 0..1 (1 = first in both rankings with full scenario
    agreement); it ranks results within one query. For an absolute threshold across queries (e.g.
    "notify vendors above X"), use `dense_score`, the cosine similarity of query and document.
    Ranks are 1-based positions in each retriever's candidate list (None if absent there);
    `scenario_agreement` is None when no scenario signal was used.
    """

    doc_id: str
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    scenario_agreement: float | None = None
    matched_terms: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the hit as a plain dict (for JSON)."""
        return asdict(self)


def _item_parts(item: Item) -> tuple[str, str, str | None]:
    """Normalise an upsert item: (id, text), (id, text, scenario) or a dict with those keys."""
    if isinstance(item, Mapping):
        return str(item["id"]), str(item.get("text") or ""), item.get("scenario")
    if len(item) == 2:
        return str(item[0]), str(item[1] or ""), None
    return str(item[0]), str(item[1] or ""), item[2]


class HybridIndex:
    """Dense + BM25 index with weighted RRF fusion, scenario re-ranking and versioned saves."""

    def __init__(self, encoder: Encoder, directory: PathArg | None = None,
                 weights: Mapping[str, float] | None = None,
                 scenarios: Mapping[str, str] | ScenarioModel | None = None,
                 scenario_boost: float = DEFAULT_SCENARIO_BOOST,
                 predicted_scenario_boost: float = PREDICTED_SCENARIO_BOOST,
                 candidates: int = DEFAULT_CANDIDATES,
                 vector_options: VectorOptions | None = None,
                 lexical_options: LexicalOptions | None = None) -> None:
        self.encoder = encoder
        self.directory = Path(directory) if directory is not None else None
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.scenario_boost = float(scenario_boost)
        self.predicted_scenario_boost = float(predicted_scenario_boost)
        self.candidates = int(candidates)
        self._vector_options = VectorOptions(**vector_options) if vector_options else VectorOptions()
        self._lexical_options = LexicalOptions(**lexical_options) if lexical_options else LexicalOptions()
        if scenarios is None or isinstance(scenarios, ScenarioModel):
            self.scenarios = scenarios
        else:
            self.scenarios = ScenarioModel(scenarios, encoder)
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self.vector = VectorIndex(encoder.dim, encoder.backend, encoder.model_id, **self._vector_options)
        self.lexical = LexicalIndex(**self._lexical_options)
        self._doc_scenario: dict[str, str] = {}
        self.version = 0

    # ---- editing ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.vector)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.vector

    def ids(self) -> list[str]:
        """Return the ids of all indexed documents."""
        with self._lock:
            return self.vector.ids()

    def upsert(self, doc_id: str, text: str, scenario: str | None = None) -> None:
        """Index or re-index one document; the next search reflects it."""
        self.upsert_many([(doc_id, text, scenario)])

    def upsert_many(self, items: Iterable[Item], progress: Progress | None = None,
                    vectors: npt.NDArray[np.float32] | None = None) -> int:
        """Index many (id, text[, scenario]) items or dicts, encoding in batches; returns the count.

        `vectors` (one passage vector per item, from this encoder) skips encoding.
        """
        parts = [_item_parts(it) for it in items]
        if not parts:
            return 0
        if vectors is None:
            vectors = self.encoder.passage([p[1] for p in parts], progress=progress)
        elif len(vectors) != len(parts):
            raise ValueError("one vector per item is required")
        with self._lock:
            self.vector.add_many([p[0] for p in parts], vectors)
            self.lexical.add_many([(p[0], p[1]) for p in parts])
            for doc_id, _, scenario in parts:
                if scenario:
                    self._doc_scenario[doc_id] = str(scenario)
                else:
                    self._doc_scenario.pop(doc_id, None)
        return len(parts)

    def remove(self, doc_id: str) -> bool:
        """Remove a document from both indexes at once; returns False if it was not indexed."""
        with self._lock:
            found = self.vector.remove(doc_id)
            found = self.lexical.remove(doc_id) or found
            self._doc_scenario.pop(str(doc_id), None)
            return found

    def clear(self) -> None:
        """Remove every document (the saved files are untouched)."""
        with self._lock:
            self.vector = VectorIndex(self.encoder.dim, self.encoder.backend, self.encoder.model_id,
                                      **self._vector_options)
            self.lexical = LexicalIndex(**self._lexical_options)
            self._doc_scenario = {}

    def compact(self) -> None:
        """Fold pending edits into both indexes' main structures."""
        with self._lock:
            self.vector.compact()
            self.lexical.compact()

    # ---- searching -------------------------------------------------------------------------

    def _query_distribution(self, scenario: str | Mapping[str, float] | None,
                            vector: npt.NDArray[np.float32]) -> dict[str, float] | None:
        """Scenario distribution of a query: given code or distribution, else predicted."""
        if isinstance(scenario, Mapping):
            return {str(k): float(v) for k, v in scenario.items()}
        if scenario:
            return one_hot(str(scenario))
        if self.scenarios is not None:
            return self.scenarios.predict(vector)
        return None

    def _doc_distributions(self, doc_ids: list[str]) -> dict[str, dict[str, float] | None]:
        """Scenario distributions of documents: their code, else predicted from their vector."""
        out: dict[str, dict[str, float] | None] = {}
        scenarios = self.scenarios
        need: list[str] = []
        for doc_id in doc_ids:
            code = self._doc_scenario.get(doc_id)
            if code:
                out[doc_id] = one_hot(code)
            elif scenarios is not None:
                need.append(doc_id)
            else:
                out[doc_id] = None
        if need and scenarios is not None:
            rows: list[npt.NDArray[np.float32]] = []
            for doc_id in need:
                vec = self.vector.get_vector(doc_id)
                if vec is None:  # never: both indexes hold the same documents, under the same lock
                    raise KeyError(f"document {doc_id!r} is not in the vector index")
                rows.append(vec)
            for doc_id, row in zip(need, scenarios.predict_array(np.vstack(rows)), strict=True):
                out[doc_id] = scenarios.to_dict(row)
        return out

    def _rank(self, qvec: npt.NDArray[np.float32], terms: list[str], dense: Ranking, lexical: Ranking, k: int,
              weights: Mapping[str, float] | None, boost: float, qdist: Mapping[str, float] | None) -> list[Hit]:
        """Fuse two candidate lists, re-rank by scenario agreement and build explained hits."""
        weights = dict(self.weights if weights is None else weights)
        fused = fuse({"dense": [d for d, _ in dense], "lexical": [d for d, _ in lexical]}, weights)
        if not fused:
            return []
        top = max_score(weights, ["dense", "lexical"]) or 1.0
        pool = fused[:max(3 * k, 50)]
        dists = self._doc_distributions([d for d, _ in pool]) if qdist is not None and boost else {}
        dense_rank = {d: (i + 1, s) for i, (d, s) in enumerate(dense)}
        lex_rank = {d: (i + 1, s) for i, (d, s) in enumerate(lexical)}
        hits: list[Hit] = []
        for doc_id, raw in pool:
            base = raw / top
            agree: float | None = None
            if qdist is not None and boost:
                ddist = dists.get(doc_id)
                agree = agreement(qdist, ddist) if ddist is not None else NEUTRAL_AGREEMENT
                score = (1.0 - boost) * base + boost * agree
            else:
                score = base
            d_rank, d_score = dense_rank.get(doc_id, (None, None))
            l_rank, l_score = lex_rank.get(doc_id, (None, None))
            hits.append(Hit(doc_id, float(score), d_score, l_score, d_rank, l_rank, agree))
        hits.sort(key=lambda h: (-h.score, h.doc_id))
        hits = hits[:k]
        for hit in hits:
            if hit.dense_score is None:
                vec = self.vector.get_vector(hit.doc_id)
                hit.dense_score = float(vec @ qvec) if vec is not None else None
            hit.matched_terms = self.lexical.matched_terms(terms, hit.doc_id)
        return hits

    def search(self, query: str, k: int = 20, allowed: set[str] | None = None,
               weights: Mapping[str, float] | None = None, scenario_boost: float | None = None,
               scenario: str | Mapping[str, float] | None = None,
               query_vector: npt.ArrayLike | None = None) -> list[Hit]:
        """Return the k best documents for a free-text query, optionally within `allowed` ids.

        `scenario` (a taxonomy code or a distribution) overrides the predicted query scenario;
        `scenario_boost` (0..1) is the share of the score given to scenario agreement;
        `query_vector` skips encoding when the caller already has the query's vector.
        """
        if not query or not query.strip() or k <= 0:
            return []
        if query_vector is None:
            qvec = self.encoder.query([query])[0]
        else:
            qvec = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        if scenario_boost is not None:
            boost = float(scenario_boost)
        else:
            boost = self.scenario_boost if scenario else self.predicted_scenario_boost
        qdist = self._query_distribution(scenario, qvec) if boost else None
        n = max(self.candidates, 3 * k)
        terms = tokenize(query)
        with self._lock:
            dense = self.vector.search(qvec, n, allowed)
            lexical = self.lexical.search(terms, n, allowed)
            return self._rank(qvec, terms, dense, lexical, k, weights, boost, qdist)

    def similar(self, doc_id: str, k: int = 10, allowed: set[str] | None = None,
                weights: Mapping[str, float] | None = None,
                scenario_boost: float | None = None) -> list[Hit]:
        """Return documents like a stored one (by its vector and its key terms), itself excluded."""
        doc_id = str(doc_id)
        with self._lock:
            vec = self.vector.get_vector(doc_id)
            if vec is None:
                raise KeyError(f"document {doc_id!r} is not indexed")
            terms = self.lexical.key_terms(doc_id)
            n = max(self.candidates, 3 * k) + 1
            dense = [h for h in self.vector.search(vec, n, allowed) if h[0] != doc_id]
            lexical = [h for h in self.lexical.search(terms, n, allowed) if h[0] != doc_id]
            if scenario_boost is not None:
                boost = float(scenario_boost)
            else:
                boost = self.scenario_boost if doc_id in self._doc_scenario else self.predicted_scenario_boost
            qdist = self._doc_distributions([doc_id]).get(doc_id) if boost else None
            return self._rank(vec, terms, dense, lexical, k, weights, boost, qdist)

    # ---- persistence -----------------------------------------------------------------------

    def _require_dir(self) -> Path:
        """The index directory; raises ValueError for an in-memory index."""
        if self.directory is None:
            raise ValueError("this HybridIndex has no directory")
        return self.directory

    def read_manifest(self) -> dict[str, Any] | None:
        """Return the saved manifest, or None if there is none or it is unreadable."""
        return store.read_manifest(self.directory) if self.directory is not None else None

    def version_on_disk(self) -> int:
        """Return the version of the saved index (0 if none)."""
        return store.manifest_version(self.directory) if self.directory is not None else 0

    def save(self) -> int:
        """Write a new generation and switch the manifest to it atomically; returns its version."""
        root = self._require_dir()
        with self._save_lock:
            with self._lock:
                vector = self.vector.snapshot()
                lexical = self.lexical.snapshot()
                docs = {"scenarios": dict(self._doc_scenario)}
                ids = self.vector.ids()
            version = max(self.version, self.version_on_disk()) + 1
            store.write_generation(root, version, vector, lexical, docs, self.encoder.info(), ids)
            self.version = version
            return version

    def load(self) -> int:
        """Replace the in-memory index with the saved one; returns its version.

        Raises FileNotFoundError if nothing is saved, IndexMismatch if it was built with another
        encoder, IndexCorrupt if any file is damaged or the parts disagree.
        """
        root = self._require_dir()
        for attempt in range(2):
            manifest = self.read_manifest()
            if manifest is None:
                if (root / MANIFEST).exists():
                    raise IndexCorrupt("manifest.json is unreadable")
                raise FileNotFoundError(f"no saved index in {root}")
            try:
                vector, lexical, scenarios = store.load_generation(
                    root, manifest, self.encoder.info(), self._vector_options, self._lexical_options)
                version = int(manifest["version"])
                break
            except FileNotFoundError:
                if attempt:
                    raise
        with self._lock:
            self.vector, self.lexical, self._doc_scenario = vector, lexical, scenarios
            self.version = version
        return self.version

    def reload_if_newer(self) -> bool:
        """Load the saved index if its version is newer than the one in memory."""
        if self.version_on_disk() > self.version:
            self.load()
            return True
        return False

    def verify(self, expected_ids: Iterable[str]) -> bool:
        """True if the index holds exactly `expected_ids` in both its dense and lexical parts."""
        want = ids_checksum(expected_ids)
        with self._lock:
            return ids_checksum(self.vector.ids()) == want and ids_checksum(self.lexical.ids()) == want

    def load_if_valid(self, expected_ids: Iterable[str] | None = None) -> bool:
        """Load the saved index if present, intact, built by this encoder and (if given) holding
        exactly `expected_ids`; otherwise leave the index empty and return False (rebuild then)."""
        try:
            self.load()
        except (FileNotFoundError, IndexFileError):
            self.clear()
            return False
        if expected_ids is not None and not self.verify(expected_ids):
            self.clear()
            return False
        return True
