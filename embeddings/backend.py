"""The storage half of search: where documents, vectors and terms live, and the candidates they yield.

`HybridIndex` does the ranking (encoders, fusion, scenario agreement, calibration, explanations) and asks a
`SearchBackend` only for raw material: the dense top-k of a vector, the BM25 top-k of weighted terms, the
stored vectors, scenario codes and term counts of given documents, and the corpus statistics BM25 needs.
Two backends implement it:

- `EmbeddedBackend` (this module): FAISS + the editable BM25 index in memory, saved as files beside the
  app (the default for `make run` and the tests);
- `PostgresBackend` (`embeddings.pgbackend`): one row per document in PostgreSQL, the vector in a pgvector
  column with an HNSW index and the jieba terms in a `tsvector` with a GIN index; filters are SQL.

`allowed` narrows a search: None (everything), a set of document ids, or a filter object from the backend's
own `where_records` (the PostgreSQL backend compiles it into its `WHERE` clause).
"""
from __future__ import annotations

import math
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from .encoder import EncoderInfo
from .lexical import LexicalIndex, LexicalOptions
from .vector import VectorIndex, VectorOptions

Ranking: TypeAlias = list[tuple[str, float]]
"""(doc_id, score) pairs from one retriever, best first."""
Allowed: TypeAlias = Any
"""None, a set of doc ids, or the filter a backend's `where_records` made."""


@dataclass(frozen=True)
class StoredDocument:
    """One document as a backend stores it: its terms, primary scenario and vectors (already encoded)."""

    doc_id: str
    tokens: Sequence[str]
    scenario: str | None
    vector: npt.NDArray[np.float32]
    aux_vector: npt.NDArray[np.float32] | None = None
    stamp: str = ""
    content_hash: str = ""


@dataclass(frozen=True)
class DocumentFacts:
    """What ranking reads about its candidate documents: vectors, auxiliary vectors, scenario codes, term counts."""

    vectors: dict[str, npt.NDArray[np.float32]]
    aux_vectors: dict[str, npt.NDArray[np.float32]]
    scenarios: dict[str, str]
    term_counts: dict[str, Counter[str]]
    cosines: dict[str, float] | None = None
    """The query's cosine with each document, when the backend computed it where the vectors are (then `vectors`
    holds only the documents without a scenario code, whose scenario is predicted from their vector)."""
    aux_cosines: dict[str, float] | None = None
    """The same for the auxiliary vectors (then `aux_vectors` is empty)."""
    lengths: dict[str, int] | None = None
    """Each document's length (its terms counted with repeats), when the backend read `term_counts` only for the
    query's terms (a document's whole term list is its longest column: 600 of them cost more to send and decode
    than to rank); then `distinct` holds how many distinct terms each has."""
    distinct: dict[str, int] | None = None

    def distinct_terms(self, doc_id: str) -> int:
        """How many distinct terms a document has."""
        if self.distinct is not None:
            return self.distinct.get(doc_id, 0)
        return len(self.term_counts.get(doc_id) or ())

    @property
    def found(self) -> set[str]:
        """The documents that are stored (one removed since it was a candidate is missing)."""
        return set(self.vectors) if self.cosines is None else set(self.cosines)


def space_of(identity: EncoderInfo, aux_identity: EncoderInfo | None) -> str:
    """The encoder space a row belongs to: the main encoder's identity and the auxiliary one's."""
    main = f"{identity['backend']}/{identity['model_id']}/{identity['dim']}"
    if aux_identity is not None:
        main += f"+{aux_identity['backend']}/{aux_identity['model_id']}/{aux_identity['dim']}"
    return main


def bm25_idf(n_docs: int, df: float) -> float:
    """The inverse document frequency of the lucene BM25 variant both backends score with."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


class SearchBackend(ABC):
    """Where documents live and which candidates they yield; `HybridIndex` ranks what comes back."""

    persistent = False
    """True when every edit is durable once applied (nothing to save, nothing to reload)."""
    concurrent = False
    """True when candidate queries may run at the same time from several threads (each on its own connection), so
    a search asks for its dense, lexical and auxiliary lists at once instead of one after the other."""

    def __init__(self, identity: EncoderInfo, aux_identity: EncoderInfo | None = None) -> None:
        self.identity = identity
        self.aux_identity = aux_identity
        self.space = space_of(identity, aux_identity)

    @property
    def has_aux(self) -> bool:
        """Tell whether the backend keeps the auxiliary encoder's vectors."""
        return self.aux_identity is not None

    # ---- contents ---------------------------------------------------------------------------

    @abstractmethod
    def __len__(self) -> int:
        """How many documents are stored."""

    @abstractmethod
    def ids(self) -> list[str]:
        """The ids of all stored documents."""

    @abstractmethod
    def contains(self, doc_id: str) -> bool:
        """Tell whether a document is stored."""

    def __contains__(self, doc_id: object) -> bool:
        return self.contains(str(doc_id))

    @abstractmethod
    def upsert_many(self, docs: Sequence[StoredDocument]) -> None:
        """Store or replace documents (with their vectors); visible to the next search."""

    @abstractmethod
    def remove_many(self, doc_ids: Iterable[str]) -> int:
        """Remove documents; returns how many were stored."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    def compact(self) -> None:  # noqa: B027  (a backend without pending edits has nothing to fold)
        """Fold pending edits into the main structures (a no-op where there are none)."""

    def where_records(self, selects: Mapping[str, Any]) -> Any:
        """A filter admitting, per kind, the record ids a SQL select returns, for the backend to apply in its own
        queries; None from a backend that cannot (the caller then checks the candidates' ids itself)."""
        return None

    def stamps(self) -> dict[str, str] | None:
        """{doc id: stamp} as stored with the documents, or None when the backend keeps no stamps."""
        return None

    # ---- candidates -------------------------------------------------------------------------

    @abstractmethod
    def dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """The k documents whose vectors are nearest (cosine), best first."""

    @abstractmethod
    def aux_dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """As `dense`, over the auxiliary encoder's vectors ([] without them)."""

    @abstractmethod
    def lexical(self, terms: Mapping[str, float], k: int, allowed: Allowed = None) -> Ranking:
        """The k documents with the best BM25 score for weighted terms, best first."""

    # ---- what is stored about given documents ---------------------------------------------------

    @abstractmethod
    def vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The stored vectors of documents (missing ids are left out)."""

    @abstractmethod
    def aux_vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The stored auxiliary vectors of documents (missing ids are left out)."""

    @abstractmethod
    def scenarios(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The primary scenario codes of documents that have one."""

    @abstractmethod
    def term_counts(self, doc_ids: Sequence[str]) -> dict[str, Counter[str]]:
        """Each document's terms with their counts (missing ids are left out)."""

    @abstractmethod
    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """The BM25 IDF of each term (0 for a term no document has)."""

    @abstractmethod
    def n_docs(self) -> int:
        """How many documents the corpus statistics count."""

    def facts(self, doc_ids: Sequence[str], vector: npt.NDArray[np.float32] | None = None,
              aux_vector: npt.NDArray[np.float32] | None = None, terms: Sequence[str] | None = None) -> DocumentFacts:
        """Everything ranking reads about the given documents (a database backend reads it in one query, and with
        the query's vectors gives their cosines instead of sending every document's vectors; given the query's
        `terms`, it may send the counts of those terms only, with each document's length and distinct terms)."""
        return DocumentFacts(self.vectors(doc_ids), self.aux_vectors(doc_ids) if self.has_aux else {},
                             self.scenarios(doc_ids), self.term_counts(doc_ids))

    def bm25(self, terms: Mapping[str, float], doc_ids: Sequence[str],
             counts: Mapping[str, Counter[str]], lengths: Mapping[str, int] | None = None) -> dict[str, float]:
        """BM25 of the given documents for weighted terms (those scoring nothing left out); `counts` are their term
        counts as `facts` read them, and `lengths` their lengths when the counts hold only some terms (a database
        backend scores from them instead of asking again)."""
        return dict(self.lexical(terms, len(doc_ids), allowed=set(doc_ids))) if doc_ids else {}

    def self_score(self, terms: Iterable[str]) -> float:
        """The most BM25 the distinct terms could earn together: the sum of their IDFs (unseen terms count
        with the IDF of a term in no document), so a score divided by it lies in [0, 1)."""
        terms = list(dict.fromkeys(terms))
        idf = self.idf(terms)
        unseen = bm25_idf(self.n_docs(), 0.0)
        return sum(idf.get(t) or unseen for t in terms)


class EmbeddedBackend(SearchBackend):
    """FAISS vectors and the editable BM25 index in this process's memory, saved as files by `store`."""

    def __init__(self, identity: EncoderInfo, aux_identity: EncoderInfo | None = None,
                 vector_options: VectorOptions | None = None,
                 lexical_options: LexicalOptions | None = None) -> None:
        super().__init__(identity, aux_identity)
        self.vector_options: VectorOptions = vector_options or VectorOptions()
        self.lexical_options: LexicalOptions = lexical_options or LexicalOptions()
        self.lock = threading.RLock()
        self.clear()

    def _new_vector(self, identity: EncoderInfo, main: bool) -> VectorIndex:
        """An empty FAISS index for one encoder (the auxiliary one keeps the default options)."""
        options = self.vector_options if main else VectorOptions()
        return VectorIndex(identity["dim"], identity["backend"], identity["model_id"], **options)

    def clear(self) -> None:
        """Remove every document."""
        with self.lock:
            self.vector_index = self._new_vector(self.identity, True)
            self.aux_index = self._new_vector(self.aux_identity, False) if self.aux_identity is not None else None
            self.lexical_index = LexicalIndex(**self.lexical_options)
            self.doc_scenario: dict[str, str] = {}

    def install(self, vector: VectorIndex, lexical: LexicalIndex, scenarios: dict[str, str],
                aux: VectorIndex | None) -> None:
        """Serve structures loaded from files."""
        with self.lock:
            self.vector_index, self.lexical_index, self.doc_scenario, self.aux_index = vector, lexical, scenarios, aux

    def __len__(self) -> int:
        return len(self.vector_index)

    def ids(self) -> list[str]:
        """The ids of all stored documents."""
        with self.lock:
            return self.vector_index.ids()

    def contains(self, doc_id: str) -> bool:
        """Tell whether a document is stored."""
        return doc_id in self.vector_index

    def upsert_many(self, docs: Sequence[StoredDocument]) -> None:
        """Store or replace documents in the vector, auxiliary and lexical indexes under one lock."""
        if not docs:
            return
        ids = [d.doc_id for d in docs]
        with self.lock:
            self.vector_index.add_many(ids, np.vstack([d.vector for d in docs]))
            if self.aux_index is not None:
                aux = [d.aux_vector for d in docs]
                if any(a is None for a in aux):
                    raise ValueError("this index keeps auxiliary vectors: every document needs one")
                self.aux_index.add_many(ids, np.vstack([a for a in aux if a is not None]))
            self.lexical_index.add_many_tokens([(d.doc_id, list(d.tokens)) for d in docs])
            for d in docs:
                if d.scenario:
                    self.doc_scenario[d.doc_id] = str(d.scenario)
                else:
                    self.doc_scenario.pop(d.doc_id, None)

    def remove_many(self, doc_ids: Iterable[str]) -> int:
        """Remove documents from every structure at once."""
        removed = 0
        with self.lock:
            for doc_id in map(str, doc_ids):
                found = self.vector_index.remove(doc_id)
                found = self.lexical_index.remove(doc_id) or found
                if self.aux_index is not None:
                    self.aux_index.remove(doc_id)
                self.doc_scenario.pop(doc_id, None)
                removed += int(found)
        return removed

    def compact(self) -> None:
        """Fold pending edits into the FAISS and BM25 main structures."""
        with self.lock:
            self.vector_index.compact()
            self.lexical_index.compact()
            if self.aux_index is not None:
                self.aux_index.compact()

    @staticmethod
    def _ids(allowed: Allowed) -> set[str] | None:
        """An `allowed` argument as a set of ids (this backend filters in memory)."""
        if allowed is None or isinstance(allowed, set):
            return allowed
        return set(map(str, allowed))

    def dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """Nearest documents by cosine from FAISS."""
        with self.lock:
            return self.vector_index.search(vector, k, self._ids(allowed))

    def aux_dense(self, vector: npt.NDArray[np.float32], k: int, allowed: Allowed = None) -> Ranking:
        """Nearest documents by the auxiliary encoder's cosine."""
        if self.aux_index is None:
            return []
        with self.lock:
            return self.aux_index.search(vector, k, self._ids(allowed))

    def lexical(self, terms: Mapping[str, float], k: int, allowed: Allowed = None) -> Ranking:
        """BM25 top-k from the editable index."""
        with self.lock:
            return self.lexical_index.search(dict(terms), k, self._ids(allowed))

    def vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors, reconstructed from FAISS."""
        with self.lock:
            return {d: v for d in doc_ids if (v := self.vector_index.get_vector(d)) is not None}

    def aux_vectors(self, doc_ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored auxiliary vectors."""
        if self.aux_index is None:
            return {}
        with self.lock:
            aux = self.aux_index
            return {d: v for d in doc_ids if (v := aux.get_vector(d)) is not None}

    def scenarios(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Primary scenario codes."""
        return {d: c for d in doc_ids if (c := self.doc_scenario.get(d))}

    def term_counts(self, doc_ids: Sequence[str]) -> dict[str, Counter[str]]:
        """Term counts from the lexical index."""
        with self.lock:
            return {d: c for d in doc_ids if (c := self.lexical_index.term_counts(d)) is not None}

    def idf(self, terms: Iterable[str]) -> dict[str, float]:
        """Live IDFs from the lexical index."""
        with self.lock:
            return {t: self.lexical_index.idf(t) for t in terms}

    def n_docs(self) -> int:
        """Documents in the lexical statistics."""
        return len(self.lexical_index)

    def self_score(self, terms: Iterable[str]) -> float:
        """The lexical index's own self score."""
        with self.lock:
            return self.lexical_index.self_score(terms)
