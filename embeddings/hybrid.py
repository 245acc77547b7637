"""`HybridIndex`: the one object the app talks to — dense + lexical retrieval, fused and explained.

The ranking lives here: encoders, the scenario model, fusion, scenario agreement, calibration and the
explanations. Where the documents live is a `SearchBackend` (`embeddings.backend`): by default the
`EmbeddedBackend` (FAISS + the editable BM25 index in memory, saved in a directory, layout in `store`),
or the `PostgresBackend` (`embeddings.pgbackend`: pgvector + tsvector rows, nothing to save or reload).
Query encoding happens before the backend is asked, so retrieval holds no lock while a model runs; an
edit is visible to the next search. For the embedded backend `version` only grows, so a web worker can
compare `version_on_disk()` with its own `version` and reload.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from . import store
from .backend import Allowed, EmbeddedBackend, SearchBackend, StoredDocument
from .calibration import Calibrator, features, load_calibrator
from .defaults import (
    DEFAULT_CANDIDATES,
    DEFAULT_OPTIONS,
    DEFAULT_SCENARIO_BOOST,
    DEFAULT_WEIGHTS,
    PREDICTED_SCENARIO_BOOST,
)
from .encoder import Encoder, Progress, load_encoder
from .errors import IndexCorrupt, IndexFileError
from .fsio import PathArg, ids_checksum
from .fusion import fuse, max_score
from .lexical import LexicalIndex, LexicalOptions
from .ranking import (
    QueryAnalysis,
    RankingOptions,
    adaptive,
    content_factor,
    expansion_terms,
    mix,
    neighbour_distribution,
    rocchio,
)
from .scenarios import AgreementWith, ScenarioModel, one_hot
from .text import FUNCTION_WORDS, collapse_repeats, prune_subwords, tokenize
from .vector import VectorIndex, VectorOptions

MANIFEST = store.MANIFEST
MIN_TERM_IDF = 0.5
"""A shared term in well over half of the documents (BM25 IDF below this) does not explain a match."""
AUTO = "auto"
AUX_BACKEND = "use"
AUX_FOR = ("e5",)
"""With `aux_encoder="auto"` an e5 index also keeps USE vectors for the third ranked list (measured on e5)."""
AUX_THREADS = 1
"""USE runs on one thread beside e5: with two, its threads and e5's OpenMP pool fight over the two cores
(measured: USE query after an e5 query 249 ms p50 with two threads, 3.3 ms with one; e5 68 → 108 ms)."""


def load_aux_encoder() -> Encoder:
    """The process-wide auxiliary (USE) encoder, on one thread."""
    return load_encoder(AUX_BACKEND, threads=AUX_THREADS)
NEUTRAL_AGREEMENT = 0.5

Item: TypeAlias = tuple[str, str] | tuple[str, str, str | None] | Mapping[str, str | None]
"""A document to index: (id, text), (id, text, scenario) or a mapping with those keys."""
Ranking: TypeAlias = list[tuple[str, float]]
"""(doc_id, score) pairs from one retriever, best first."""


@dataclass
class Hit:
    """One search result with the evidence behind its rank.

    `relevance` is the calibrated probability (0..1) that the result is relevant: the same scale for
    every query and every filter, so it is the figure to show and to threshold (see `calibration`).
    `score` orders results within one query: the fused rank score in 0..1 (1 = first in every ranking
    with full scenario agreement), or the relevance itself when the index ranks by relevance.
    `dense_score` is the cosine of query and document; `lexical_score` the document's BM25 in the
    lexical ranking (None if absent there) and `lexical_share` its BM25 for the query's own terms
    divided by the query's self score (0..1). Ranks are 1-based positions in each retriever's candidate
    list (None if absent there); `scenario_agreement` is None when no scenario signal was used.
    `matched_terms` are the query terms that carried the match, the weightiest first.
    """

    doc_id: str
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    scenario_agreement: float | None = None
    matched_terms: list[str] = field(default_factory=list)
    relevance: float = 0.0
    lexical_share: float | None = None
    aux_rank: int | None = None

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
    """Dense + BM25 index with weighted RRF fusion, scenario re-ranking, calibrated relevance and saves."""

    def __init__(self, encoder: Encoder, directory: PathArg | None = None,
                 weights: Mapping[str, float] | None = None,
                 scenarios: Mapping[str, str] | ScenarioModel | None = None,
                 scenario_boost: float = DEFAULT_SCENARIO_BOOST,
                 predicted_scenario_boost: float = PREDICTED_SCENARIO_BOOST,
                 candidates: int = DEFAULT_CANDIDATES,
                 vector_options: VectorOptions | None = None,
                 lexical_options: LexicalOptions | None = None,
                 options: RankingOptions | Mapping[str, Any] | None = None,
                 aux_encoder: Encoder | str | None = AUTO,
                 calibrator: Calibrator | None = None,
                 backend: SearchBackend | None = None) -> None:
        self.encoder = encoder
        self.directory = Path(directory) if directory is not None else None
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.scenario_boost = float(scenario_boost)
        self.predicted_scenario_boost = float(predicted_scenario_boost)
        self.candidates = int(candidates)
        self.options = options if isinstance(options, RankingOptions) else DEFAULT_OPTIONS.updated(options)
        if aux_encoder is AUTO:
            aux_encoder = (load_aux_encoder()
                           if self.options.aux_weight > 0 and encoder.backend in AUX_FOR else None)
        self.aux_encoder: Encoder | None = aux_encoder if isinstance(aux_encoder, Encoder) else None
        self.calibrator = calibrator or load_calibrator(encoder.backend)
        self._vector_options = VectorOptions(**vector_options) if vector_options else VectorOptions()
        self._lexical_options = LexicalOptions(**lexical_options) if lexical_options else LexicalOptions()
        if scenarios is None or isinstance(scenarios, ScenarioModel):
            self.scenarios = scenarios
        else:
            self.scenarios = ScenarioModel(scenarios, encoder)
        self._scenario_terms = ({c: list(dict.fromkeys(tokenize(t))) for c, t in self.scenarios.texts.items()}
                                if self.scenarios is not None else {})
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        aux_info = self.aux_encoder.info() if self.aux_encoder is not None else None
        if backend is None:
            backend = EmbeddedBackend(encoder.info(), aux_info, self._vector_options, self._lexical_options)
        elif dict(backend.identity) != dict(encoder.info()) or backend.aux_identity != aux_info:
            raise ValueError("the backend stores vectors of other encoders than this index uses")
        self.backend = backend
        self.version = 0

    @property
    def embedded(self) -> EmbeddedBackend:
        """The in-memory backend (ValueError for an index on another backend)."""
        if not isinstance(self.backend, EmbeddedBackend):
            raise ValueError("this index is not kept in memory")
        return self.backend

    @property
    def vector(self) -> VectorIndex:
        """The FAISS index of the embedded backend."""
        return self.embedded.vector_index

    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index of the embedded backend."""
        return self.embedded.lexical_index

    @property
    def aux(self) -> VectorIndex | None:
        """The auxiliary FAISS index of the embedded backend (None without an auxiliary encoder)."""
        return self.embedded.aux_index

    # ---- editing ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.backend)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.backend

    def ids(self) -> list[str]:
        """Return the ids of all indexed documents."""
        return self.backend.ids()

    def passage_vectors(self, texts: Sequence[str], progress: Progress | None = None) -> npt.NDArray[np.float32]:
        """Encode documents the way `upsert_many` does (repeats collapsed), e.g. outside a lock before it."""
        return self.encoder.passage([collapse_repeats(t) for t in texts], progress=progress)

    def aux_passage_vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32] | None:
        """Encode documents with the auxiliary encoder (None without one)."""
        if self.aux_encoder is None:
            return None
        return self.aux_encoder.passage([collapse_repeats(t) for t in texts])

    def documents(self, items: Iterable[Item], vectors: npt.NDArray[np.float32],
                  aux_vectors: npt.NDArray[np.float32] | None = None,
                  stamps: Mapping[str, str] | None = None,
                  hashes: Mapping[str, str] | None = None) -> list[StoredDocument]:
        """Items with their vectors as the backend stores them (text tokenised, repeats collapsed)."""
        parts = [_item_parts(it) for it in items]
        if len(vectors) != len(parts) or (aux_vectors is not None and len(aux_vectors) != len(parts)):
            raise ValueError("one vector per item is required")
        stamps, hashes = stamps or {}, hashes or {}
        return [StoredDocument(doc_id, tokenize(collapse_repeats(text)), scenario or None,
                               np.asarray(vectors[i], dtype=np.float32),
                               None if aux_vectors is None else np.asarray(aux_vectors[i], dtype=np.float32),
                               stamps.get(doc_id, ""), hashes.get(doc_id, ""))
                for i, (doc_id, text, scenario) in enumerate(parts)]

    def upsert(self, doc_id: str, text: str, scenario: str | None = None) -> None:
        """Index or re-index one document; the next search reflects it."""
        self.upsert_many([(doc_id, text, scenario)])

    def upsert_many(self, items: Iterable[Item], progress: Progress | None = None,
                    vectors: npt.NDArray[np.float32] | None = None) -> int:
        """Index many (id, text[, scenario]) items or dicts, encoding in batches; returns the count.

        A clause or phrase a document repeats counts once (`collapse_repeats`) on both sides.
        `vectors` (one passage vector per item, from `passage_vectors`) skips encoding.
        """
        parts = [_item_parts(it) for it in items]
        if not parts:
            return 0
        texts = [p[1] for p in parts]
        if vectors is None:
            vectors = self.passage_vectors(texts, progress=progress)
        elif len(vectors) != len(parts):
            raise ValueError("one vector per item is required")
        self.backend.upsert_many(self.documents(parts, vectors, self.aux_passage_vectors(texts)))
        return len(parts)

    def upsert_documents(self, docs: Sequence[StoredDocument]) -> None:
        """Store documents already encoded and tokenised (see `documents`)."""
        self.backend.upsert_many(docs)

    def remove(self, doc_id: str) -> bool:
        """Remove a document from every structure at once; returns False if it was not indexed."""
        return self.backend.remove_many([str(doc_id)]) > 0

    def clear(self) -> None:
        """Remove every document (saved files are untouched)."""
        self.backend.clear()

    def compact(self) -> None:
        """Fold pending edits into the backend's main structures."""
        self.backend.compact()

    # ---- understanding a query ---------------------------------------------------------------

    def _doc_distributions(self, doc_ids: list[str], vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
                           codes: Mapping[str, str] | None = None) -> dict[str, dict[str, float] | None]:
        """Scenario distributions of documents: their code, else predicted from their vector."""
        out: dict[str, dict[str, float] | None] = {}
        scenarios = self.scenarios
        codes = self.backend.scenarios(doc_ids) if codes is None else codes
        need: list[str] = []
        for doc_id in doc_ids:
            code = codes.get(doc_id)
            if code:
                out[doc_id] = one_hot(code)
            elif scenarios is not None:
                need.append(doc_id)
            else:
                out[doc_id] = None
        if need and scenarios is not None:
            stored = vectors if vectors is not None else self.backend.vectors(need)
            need = [d for d in need if d in stored]
            if need:
                rows = np.vstack([stored[d] for d in need])
                for doc_id, row in zip(need, scenarios.predict_array(rows), strict=True):
                    out[doc_id] = scenarios.to_dict(row)
        return out

    def _predicted(self, vector: npt.NDArray[np.float32], opts: RankingOptions, extra: dict[str, float],
                   exclude: str | None = None, predict: bool = True) -> dict[str, float] | None:
        """Predicted scenario distribution of a vector: descriptions, mixed with its coded neighbours.

        Records in `extra` the query-level evidence the calibration reads: `nearest`, the best cosine
        to any indexed document, and `domain`, the best cosine to any scenario description.
        """
        near = [h for h in self.backend.dense(vector, max(opts.neighbours, 1) + 1) if h[0] != exclude]
        codes = self.backend.scenarios([d for d, _ in near])
        votes = [(codes[d], s) for d, s in near if d in codes][:opts.neighbours]
        extra["nearest"] = near[0][1] if near else 0.0
        if self.scenarios is None:
            return None
        extra["domain"] = float((self.scenarios.vectors @ vector).max())
        if not predict:
            return None
        dist = self.scenarios.predict(vector)
        if opts.neighbour_scenarios > 0 and opts.neighbours > 0:
            dist = mix(dist, neighbour_distribution(votes, self.scenarios.temperature), opts.neighbour_scenarios)
        return dist

    def analyse(self, query: str, scenario: str | Mapping[str, float] | None = None,
                query_vector: npt.ArrayLike | None = None,
                options: Mapping[str, Any] | None = None) -> QueryAnalysis:
        """Understand a query once: its vector, terms and scenario distribution with its confidence.

        `scenario` (a taxonomy code or a distribution) is taken as given; otherwise the distribution
        is predicted from the vector. Pass the result to `search(..., analysis=)` to search without
        encoding again; `top_scenarios(n)` gives what to show as the query's likely scenarios.
        """
        text = collapse_repeats(query or "")
        if query_vector is None:
            qvec = self.encoder.query([text])[0]
        else:
            qvec = np.asarray(query_vector, dtype=np.float32).reshape(-1)
        aux = self.aux_encoder.query([text])[0] if self.aux_encoder is not None else None
        opts = self.options.updated(options)
        given = bool(scenario)
        extra: dict[str, float] = {}
        dist = self._predicted(qvec, opts, extra, predict=not given)
        if isinstance(scenario, Mapping):
            dist = {str(c): float(p) for c, p in scenario.items()}
        elif scenario:
            dist = one_hot(str(scenario))
        confidence = max(dist.values()) if dist else 0.0
        self._aux_nearest(aux, extra)
        return QueryAnalysis(text, qvec, tokenize(text), dist, float(confidence), given, aux, extra)

    def _aux_nearest(self, aux: npt.NDArray[np.float32] | None, extra: dict[str, float],
                     exclude: str | None = None) -> None:
        """Record the best auxiliary-encoder cosine to any document (USE separates off-topic queries well)."""
        if aux is None or not self.backend.has_aux:
            return
        near = [h for h in self.backend.aux_dense(aux, 2) if h[0] != exclude]
        extra["aux_nearest"] = near[0][1] if near else 0.0

    # ---- searching -------------------------------------------------------------------------

    def _boost(self, analysis: QueryAnalysis, scenario_boost: float | None, opts: RankingOptions) -> float:
        """The share of the score given to scenario agreement for this query."""
        if scenario_boost is not None:
            return float(scenario_boost)
        if analysis.scenarios is None:
            return 0.0
        if analysis.given:
            return self.scenario_boost
        boost = self.predicted_scenario_boost if opts.predicted_boost is None else opts.predicted_boost
        return adaptive(boost, analysis.confidence, opts.adaptive_boost)

    def search(self, query: str, k: int = 20, allowed: Allowed = None,
               weights: Mapping[str, float] | None = None, scenario_boost: float | None = None,
               scenario: str | Mapping[str, float] | None = None,
               query_vector: npt.ArrayLike | None = None, analysis: QueryAnalysis | None = None,
               options: Mapping[str, Any] | None = None, min_relevance: float = 0.0) -> list[Hit]:
        """Return the k best documents for a free-text query, optionally within `allowed` ids.

        Hits with a calibrated relevance below `min_relevance` are left out before they are explained
        (the costly part of a large k), so a caller that shows only good matches asks for them alone.

        `scenario` (a taxonomy code or a distribution) overrides the predicted query scenario;
        `scenario_boost` (0..1) is the share of the score given to scenario agreement;
        `query_vector` skips encoding when the caller already has the query's vector, and
        `analysis` (from `analyse`) skips all query understanding; `options` overrides ranking levers.
        """
        if not query or not query.strip() or k <= 0:
            return []
        opts = self.options.updated(options)
        a = analysis or self.analyse(query, scenario, query_vector, options)
        return self._retrieve(a, k, allowed, weights, self._boost(a, scenario_boost, opts), opts,
                              min_relevance=min_relevance)

    def similar(self, doc_id: str, k: int = 10, allowed: Allowed = None,
                weights: Mapping[str, float] | None = None, scenario_boost: float | None = None,
                options: Mapping[str, Any] | None = None, min_relevance: float = 0.0) -> list[Hit]:
        """Return documents like a stored one (by its vector and its key terms), itself excluded (and, as in
        `search`, none with a relevance below `min_relevance`)."""
        doc_id = str(doc_id)
        opts = self.options.updated(options)
        vec = self.backend.vectors([doc_id]).get(doc_id)
        if vec is None:
            raise KeyError(f"document {doc_id!r} is not indexed")
        terms = self.key_terms(doc_id)
        code = self.backend.scenarios([doc_id]).get(doc_id)
        aux = self.backend.aux_vectors([doc_id]).get(doc_id) if self.backend.has_aux else None
        extra: dict[str, float] = {}
        dist = self._predicted(vec, opts, extra, exclude=doc_id, predict=not code)
        if code:
            dist = one_hot(code)
        confidence = max(dist.values()) if dist else 0.0
        self._aux_nearest(aux, extra, exclude=doc_id)
        a = QueryAnalysis(doc_id, vec, terms, dist, float(confidence), bool(code), aux, extra)
        return self._retrieve(a, k, allowed, weights, self._boost(a, scenario_boost, opts), opts, exclude=doc_id,
                              min_relevance=min_relevance)

    def _retrieve(self, a: QueryAnalysis, k: int, allowed: Allowed, weights: Mapping[str, float] | None,
                  boost: float, opts: RankingOptions, exclude: str | None = None,
                  min_relevance: float = 0.0) -> list[Hit]:
        """Run the retrievers for an analysed query and rank their candidates."""
        n = max(self.candidates, 3 * k) + (1 if exclude else 0)
        top = [(c, p) for c, p in a.top_scenarios(opts.expansion_scenarios)] if opts.expansion > 0 else []
        lex_query = expansion_terms(a.terms, self._scenario_terms, top, opts.expansion)
        backend = self.backend

        def dense_list() -> Ranking:
            if opts.prf <= 0:
                return backend.dense(a.vector, n, allowed)
            # the list comes from the query moved towards its best documents: ask only for those first
            top_ids = [d for d, _ in backend.dense(a.vector, opts.prf_docs, allowed)]
            stored = backend.vectors(top_ids) if top_ids else {}  # a document removed meanwhile gives no feedback
            if stored:
                feedback = np.vstack([stored[d] for d in top_ids if d in stored])
                return backend.dense(rocchio(a.vector, feedback, opts.prf), n, allowed)
            return backend.dense(a.vector, n, allowed) if top_ids else []

        def aux_list() -> Ranking | None:
            if opts.aux_weight > 0 and backend.has_aux and a.aux_vector is not None:
                return backend.aux_dense(a.aux_vector, n, allowed)
            return None

        def lexical_list() -> Ranking:
            return backend.lexical(lex_query, n, allowed)

        if backend.concurrent:  # three queries to the database at once: the search waits for the slowest only
            with ThreadPoolExecutor(max_workers=3, thread_name_prefix="search") as pool:
                dense_f, lexical_f, aux_f = (pool.submit(dense_list), pool.submit(lexical_list),
                                             pool.submit(aux_list))
                dense, lexical, aux = dense_f.result(), lexical_f.result(), aux_f.result()
        else:
            dense, lexical, aux = dense_list(), lexical_list(), aux_list()
        lists: dict[str, Ranking] = {"dense": dense, "lexical": lexical}
        if aux is not None:
            lists["aux"] = aux
        if exclude is not None:
            lists = {name: [h for h in hits if h[0] != exclude] for name, hits in lists.items()}
        return self._rank(a, lists, k, weights, boost, opts, min_relevance)

    def _rank(self, a: QueryAnalysis, lists: Mapping[str, Ranking], k: int, weights: Mapping[str, float] | None,
              boost: float, opts: RankingOptions, min_relevance: float = 0.0) -> list[Hit]:
        """Fuse the candidate lists, re-rank by scenario agreement, calibrate and explain."""
        weights = dict(self.weights if weights is None else weights)
        if "aux" in lists:
            weights["aux"] = opts.aux_weight
        fused = fuse({name: [d for d, _ in hits] for name, hits in lists.items()}, weights)
        if not fused:
            return []
        top = max_score(weights, list(lists)) or 1.0
        pool = fused[:max(3 * k, 50)]
        backend = self.backend
        facts = backend.facts([d for d, _ in pool], a.vector, a.aux_vector, terms=a.terms)
        stored, found = facts.vectors, facts.found
        pool = [(d, s) for d, s in pool if d in found]  # a document removed since the candidates were read
        ids = [d for d, _ in pool]
        if not ids:
            return []
        dists = self._doc_distributions(ids, stored, facts.scenarios) if a.scenarios is not None else {}
        ranks = {name: {d: (i + 1, s) for i, (d, s) in enumerate(hits)} for name, hits in lists.items()}
        counts = facts.term_counts
        plain = backend.bm25(dict.fromkeys(a.terms, 1.0), ids, counts, facts.lengths)
        self_score = backend.self_score(a.terms) or 1.0
        if facts.cosines is not None:
            cosines = np.array([facts.cosines[d] for d in ids], dtype=np.float32)
        else:
            cosines = np.vstack([stored[d] for d in ids]) @ a.vector
        if facts.aux_cosines is not None:
            aux_cosines = (np.array([facts.aux_cosines[d] for d in ids], dtype=np.float32)
                           if all(d in facts.aux_cosines for d in ids) else None)
        else:
            aux_cosines = self.aux_cosines(ids, a.aux_vector, facts.aux_vectors)
        hits: list[Hit] = []
        agreeing = AgreementWith(a.scenarios)
        for i, (doc_id, raw) in enumerate(pool):
            distinct = facts.distinct_terms(doc_id)
            base = raw / top * content_factor(distinct, opts.content_terms)
            agree: float | None = None
            if a.scenarios is not None:
                ddist = dists.get(doc_id)
                agree = agreeing(ddist) if ddist is not None else NEUTRAL_AGREEMENT
            score = (1.0 - boost) * base + boost * agree if agree is not None and boost else base
            d_rank, _ = ranks["dense"].get(doc_id, (None, None))
            l_rank, l_score = ranks["lexical"].get(doc_id, (None, None))
            x_rank = ranks["aux"].get(doc_id, (None, None))[0] if "aux" in ranks else None
            share = min(1.0, plain.get(doc_id, 0.0) / self_score)
            cosine = float(cosines[i])
            aux_cos = float(aux_cosines[i]) if aux_cosines is not None else None
            relevance = self.calibrator.predict(features(cosine, share, agree, a, aux_cos))
            hits.append(Hit(doc_id, float(score), cosine, l_score, d_rank, l_rank,
                            agree if boost else None, [], relevance, share, x_rank))
        if opts.order == "relevance":
            for hit in hits:
                hit.score = hit.relevance
        hits.sort(key=lambda h: (-h.score, h.doc_id))
        hits = [h for h in hits[:k] if h.relevance >= min_relevance]
        idf = backend.idf(t for t in dict.fromkeys(a.terms) if len(t) > 1 and t not in FUNCTION_WORDS)
        for hit in hits:
            hit.matched_terms = self._explain(a.terms, counts.get(hit.doc_id), idf)
        return hits

    def aux_cosines(self, ids: list[str], aux_vector: npt.NDArray[np.float32] | None,
                    stored: Mapping[str, npt.NDArray[np.float32]] | None = None) -> npt.NDArray[np.float32] | None:
        """Auxiliary-encoder cosines of the query with each document (None without an auxiliary index);
        `stored`: their auxiliary vectors when the caller has read them already."""
        if not self.backend.has_aux or aux_vector is None:
            return None
        stored = self.backend.aux_vectors(ids) if stored is None else stored
        if any(d not in stored for d in ids):
            return None
        out: npt.NDArray[np.float32] = np.vstack([stored[d] for d in ids]) @ aux_vector
        return out

    @staticmethod
    def _explain(terms: Sequence[str], counts: Mapping[str, int] | None, idf: Mapping[str, float]) -> list[str]:
        """The query terms a document (its term counts) shares that carried the match, the weightiest first."""
        if not counts:
            return []
        wanted = [t for t in terms if len(t) > 1 and t not in FUNCTION_WORDS]
        present = prune_subwords([t for t in wanted if t in counts])
        matched = [t for t in present if idf.get(t, 0.0) >= MIN_TERM_IDF]
        return sorted(matched, key=lambda t: (-idf[t], t))

    def explain_terms(self, terms: Sequence[str], doc_id: str) -> list[str]:
        """The query terms a document shares that carried the match, the weightiest first.

        Single characters, function words and terms most documents have (IDF below MIN_TERM_IDF)
        explain nothing and are left out; the rest are ordered by IDF, so the rarest shared term leads.
        """
        wanted = [t for t in dict.fromkeys(terms) if len(t) > 1 and t not in FUNCTION_WORDS]
        return self._explain(terms, self.backend.term_counts([doc_id]).get(doc_id), self.backend.idf(wanted))

    def key_terms(self, doc_id: str, n: int = 24) -> list[str]:
        """A document's n most distinctive terms (highest tf·idf), for "more like this"."""
        counts = self.backend.term_counts([doc_id]).get(doc_id)
        if not counts:
            return []
        idf = self.backend.idf(counts)
        return sorted(counts, key=lambda t: (-counts[t] * idf.get(t, 0.0), t))[:n]

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
        backend = self.embedded
        with self._save_lock:
            with backend.lock:
                vector = backend.vector_index.snapshot()
                lexical = backend.lexical_index.snapshot()
                aux = backend.aux_index.snapshot() if backend.aux_index is not None else None
                docs = {"scenarios": dict(backend.doc_scenario)}
                ids = backend.vector_index.ids()
            version = max(self.version, self.version_on_disk()) + 1
            store.write_generation(root, version, vector, lexical, docs, self.encoder.info(), ids, aux,
                                   self.aux_encoder.info() if self.aux_encoder is not None else None)
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
                vector, lexical, scenarios, aux = store.load_generation(
                    root, manifest, self.encoder.info(), self._vector_options, self._lexical_options,
                    self.aux_encoder.info() if self.aux_encoder is not None else None)
                version = int(manifest["version"])
                break
            except FileNotFoundError:
                if attempt:
                    raise
        self.embedded.install(vector, lexical, scenarios, aux)
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
        backend = self.embedded
        with backend.lock:
            return (ids_checksum(backend.vector_index.ids()) == want
                    and ids_checksum(backend.lexical_index.ids()) == want)

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
