"""BM25 over jieba tokens, editable one document at a time without a rebuild.

Design: a *main* segment built with bm25s (a CSC matrix of precomputed BM25 term scores) plus a
small *delta* of documents added or changed since, and a tombstone mask over main rows that were
removed or replaced. A search sums the main matrix columns of the query terms, masks tombstones
and disallowed rows, scores delta documents with the same BM25 formula (bm25s "lucene" variant)
from live corpus statistics, and merges the two. An edit is therefore visible to the next search at
once and costs O(document length). When the delta plus tombstones outgrow `compact_ratio` of the
main segment (and at least `compact_min` documents), the next write folds everything back into a
fresh main segment; `compact()` does it on demand. Scores of main rows use the statistics of the
last compaction, delta rows use live statistics; the two differ only by the drift since then.
"""
from __future__ import annotations

import json
import math
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias, TypedDict, Unpack

import numpy as np
import numpy.typing as npt

from .errors import IndexCorrupt
from .fsio import Header, PathArg, Section, read_container, section_bytes, write_container
from .text import prune_subwords, tokenize

FORMAT = 1
FILENAME = "lexical.idx"

Query: TypeAlias = str | Sequence[str] | Mapping[str, float]
"""A lexical query: text, its tokens, or weighted tokens {term: weight}."""


class LexicalOptions(TypedDict, total=False):
    """Tuning parameters of a LexicalIndex (its keyword arguments)."""

    k1: float
    b: float
    compact_min: int
    compact_ratio: float


class LexicalIndex:
    """Editable BM25 index keyed by string document ids."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, compact_min: int = 512,
                 compact_ratio: float = 0.05) -> None:
        self.k1, self.b = float(k1), float(b)
        self.compact_min, self.compact_ratio = int(compact_min), float(compact_ratio)
        self._lock = threading.RLock()
        self._reset_all()

    def _reset_all(self) -> None:
        """Empty every structure (the lock is kept)."""
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros(0, dtype=np.int64)
        self._docs: dict[str, npt.NDArray[np.int32]] = {}
        self._total_len = 0
        self._reset_main()
        self._delta: dict[str, Counter[int]] = {}
        self._delta_len: dict[str, int] = {}
        self._postings: dict[int, dict[str, int]] = {}

    def _reset_main(self) -> None:
        """Forget the main segment."""
        self._main_ids: list[str] = []
        self._main_rows: dict[str, int] = {}
        self._alive = np.zeros(0, dtype=bool)
        self._dead = 0
        self._main_vocab = 0
        self._data = np.zeros(0, dtype=np.float32)
        self._indices = np.zeros(0, dtype=np.int32)
        self._indptr = np.zeros(1, dtype=np.int64)

    # ---- editing ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def ids(self) -> list[str]:
        """Return the ids of all indexed documents."""
        with self._lock:
            return list(self._docs)

    def _term_ids(self, tokens: Iterable[str], grow: bool) -> list[int]:
        """Map tokens to term ids, adding unknown terms when `grow`."""
        out: list[int] = []
        for tok in tokens:
            tid = self._vocab.get(tok)
            if tid is None:
                if not grow:
                    continue
                tid = len(self._terms)
                self._vocab[tok] = tid
                self._terms.append(tok)
            out.append(tid)
        if grow and len(self._terms) > len(self._df):
            grown = np.zeros(max(len(self._terms), 2 * len(self._df)), dtype=np.int64)
            grown[:len(self._df)] = self._df
            self._df = grown
        return out

    def _forget(self, doc_id: str) -> None:
        """Remove a document from statistics, main rows and delta."""
        ids = self._docs.pop(doc_id, None)
        if ids is None:
            return
        self._df[np.unique(ids)] -= 1
        self._total_len -= len(ids)
        row = self._main_rows.get(doc_id)
        if row is not None and self._alive[row]:
            self._alive[row] = False
            self._dead += 1
        counts = self._delta.pop(doc_id, None)
        if counts is not None:
            self._delta_len.pop(doc_id, None)
            for tid in counts:
                posting = self._postings.get(tid)
                if posting is not None:
                    posting.pop(doc_id, None)
                    if not posting:
                        del self._postings[tid]

    def _store(self, doc_id: str, tokens: Sequence[str]) -> npt.NDArray[np.int32]:
        """Record a document's tokens and update live statistics."""
        ids = np.asarray(self._term_ids(tokens, grow=True), dtype=np.int32)
        self._docs[doc_id] = ids
        self._df[np.unique(ids)] += 1
        self._total_len += len(ids)
        return ids

    def add(self, doc_id: str, text: str | None = None, tokens: Sequence[str] | None = None) -> None:
        """Index a document (or replace it if the id exists); visible to the next search."""
        doc_id = str(doc_id)
        toks = list(tokens) if tokens is not None else tokenize(text or "")
        with self._lock:
            self._forget(doc_id)
            ids = self._store(doc_id, toks)
            counts = Counter(ids.tolist())
            self._delta[doc_id] = counts
            self._delta_len[doc_id] = len(ids)
            for tid, tf in counts.items():
                self._postings.setdefault(tid, {})[doc_id] = tf
            self._maybe_compact()

    update = add

    def remove(self, doc_id: str) -> bool:
        """Remove a document; returns False if it was not indexed."""
        with self._lock:
            if str(doc_id) not in self._docs:
                return False
            self._forget(str(doc_id))
            self._maybe_compact()
            return True

    def add_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Index many (doc_id, text) pairs: through the delta if few, else with one rebuild."""
        self.add_many_tokens([(str(d), tokenize(t or "")) for d, t in items])

    def add_many_tokens(self, pairs: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Index many (doc_id, tokens) pairs already tokenised: through the delta if few, else with one rebuild."""
        pairs = [(str(d), list(toks)) for d, toks in pairs]
        with self._lock:
            limit = max(self.compact_min, self.compact_ratio * len(self._main_ids))
            if self._main_ids and self.pending() + len(pairs) <= limit:
                for doc_id, toks in pairs:
                    self.add(doc_id, tokens=toks)
                return
            for doc_id, toks in pairs:
                self._forget(doc_id)
                self._store(doc_id, toks)
            self._compact()

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            self._reset_all()

    def pending(self) -> int:
        """Number of delta documents plus tombstones waiting for compaction."""
        return len(self._delta) + self._dead

    def _maybe_compact(self) -> None:
        """Compact when the delta and tombstones outgrow their share of the main segment."""
        if self.pending() > max(self.compact_min, self.compact_ratio * len(self._main_ids)):
            self._compact()

    def compact(self) -> None:
        """Fold delta and tombstones into a freshly built main segment."""
        with self._lock:
            self._compact()

    def _compact(self) -> None:
        """Rebuild the main segment from all live documents with bm25s (vocabulary pruned)."""
        import bm25s

        live = np.flatnonzero(self._df[:len(self._terms)] > 0)
        remap = np.full(len(self._terms), -1, dtype=np.int64)
        remap[live] = np.arange(len(live))
        self._terms = [self._terms[i] for i in live]
        self._vocab = {t: i for i, t in enumerate(self._terms)}
        self._df = self._df[live].copy()
        self._docs = {d: remap[ids].astype(np.int32) for d, ids in self._docs.items()}
        self._delta, self._delta_len, self._postings = {}, {}, {}
        self._reset_main()
        if not self._docs:
            return
        doc_ids = list(self._docs)
        retriever = bm25s.BM25(k1=self.k1, b=self.b, method="lucene")
        corpus = [self._docs[d].tolist() for d in doc_ids]
        retriever.index((corpus, dict(self._vocab)), create_empty_token=False, show_progress=False)
        self._set_main(doc_ids, retriever.scores["data"], retriever.scores["indices"],
                       retriever.scores["indptr"], np.ones(len(doc_ids), dtype=bool))

    def _set_main(self, doc_ids: list[str], data: npt.ArrayLike, indices: npt.ArrayLike, indptr: npt.ArrayLike,
                  alive: npt.ArrayLike) -> None:
        """Install main-segment arrays."""
        self._main_ids = doc_ids
        self._main_rows = {d: i for i, d in enumerate(doc_ids)}
        self._data = np.asarray(data, dtype=np.float32)
        self._indices = np.asarray(indices, dtype=np.int32)
        self._indptr = np.asarray(indptr, dtype=np.int64)
        self._main_vocab = len(self._indptr) - 1
        self._alive = np.array(alive, dtype=bool)
        self._dead = int((~self._alive).sum())

    # ---- searching -------------------------------------------------------------------------

    def _query_terms(self, query: Query) -> dict[int, float]:
        """Known term ids of a query (text, tokens or {term: weight}) with their weights, in query order."""
        if isinstance(query, Mapping):
            out: dict[int, float] = {}
            for term, weight in query.items():
                tid = self._vocab.get(term)
                if tid is not None and weight > 0:
                    out[tid] = out.get(tid, 0.0) + float(weight)
            return out
        toks = tokenize(query) if isinstance(query, str) else list(query)
        return dict.fromkeys(self._term_ids(toks, grow=False), 1.0)

    def _idf(self, tid: int) -> float:
        """Live inverse document frequency (bm25s lucene formula)."""
        n, df = len(self._docs), float(self._df[tid])
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _delta_scores(self, tids: Mapping[int, float], allowed: set[str] | None) -> dict[str, float]:
        """BM25 scores of delta documents with live statistics."""
        scores: dict[str, float] = {}
        if not self._delta:
            return scores
        avgdl = self._total_len / max(1, len(self._docs))
        k1, b = self.k1, self.b
        for tid, weight in tids.items():
            posting = self._postings.get(tid)
            if not posting:
                continue
            idf = weight * self._idf(tid)
            for doc_id, tf in posting.items():
                if allowed is not None and doc_id not in allowed:
                    continue
                norm = k1 * (1.0 - b + b * self._delta_len[doc_id] / max(avgdl, 1e-9))
                scores[doc_id] = scores.get(doc_id, 0.0) + idf * tf / (tf + norm)
        return scores

    def _main_scores(self, tids: Mapping[int, float], allowed: set[str] | None, k: int) -> list[tuple[str, float]]:
        """Top main-segment rows for the query terms, tombstones and disallowed rows excluded."""
        cols = [t for t in tids if t < self._main_vocab]
        if not cols or not self._main_ids:
            return []
        starts, ends = self._indptr[cols], self._indptr[np.asarray(cols) + 1]
        rows = np.concatenate([self._indices[s:e] for s, e in zip(starts, ends, strict=True)])
        vals = np.concatenate([self._data[s:e] * tids[c] if tids[c] != 1.0 else self._data[s:e]
                               for c, s, e in zip(cols, starts, ends, strict=True)])
        if rows.size == 0:
            return []
        n_rows = len(self._main_ids)
        sums = np.bincount(rows, weights=vals, minlength=n_rows)
        keep = self._alive & (sums > 0)
        if allowed is not None:
            mask = np.zeros(n_rows, dtype=bool)
            allowed_rows = [self._main_rows[d] for d in allowed if d in self._main_rows]
            mask[np.asarray(allowed_rows, dtype=np.int64)] = True
            keep &= mask
        uniq = np.flatnonzero(keep)
        sums = sums[uniq]
        if len(uniq) > k:
            kth = np.partition(sums, -k)[-k]
            sel = sums >= kth
            uniq, sums = uniq[sel], sums[sel]
        return [(self._main_ids[r], float(s)) for r, s in zip(uniq.tolist(), sums.tolist(), strict=True)]

    def search(self, query: Query, k: int = 10,
               allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Return up to k (doc_id, BM25 score) pairs, best first, ties broken by doc id.

        The query is text, its tokens, or {term: weight} (a weighted sum of the terms' BM25 scores).
        """
        if k <= 0:
            return []
        allowed = set(map(str, allowed)) if allowed is not None else None
        with self._lock:
            tids = self._query_terms(query)
            if not tids:
                return []
            hits = self._main_scores(tids, allowed, k)
            hits.extend(self._delta_scores(tids, allowed).items())
        hits = [h for h in hits if h[1] > 0]
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits[:k]

    def self_score(self, terms: Iterable[str]) -> float:
        """The most BM25 the distinct query terms could earn together: the sum of their IDFs.

        With the lucene formula each term scores below its IDF, so a document's score divided by this
        lies in [0, 1) whatever the corpus or the filter. A term no document has counts with the IDF
        of a term in none (it is part of what the query asks and nothing offers).
        """
        with self._lock:
            n = len(self._docs)
            unseen = math.log(1.0 + (n + 0.5) / 0.5)
            total = 0.0
            for term in dict.fromkeys(terms):
                tid = self._vocab.get(term)
                total += self._idf(tid) if tid is not None and self._df[tid] > 0 else unseen
            return total

    def idf(self, term: str) -> float:
        """Live IDF of a term (0 for a term no document has)."""
        with self._lock:
            tid = self._vocab.get(term)
            return self._idf(tid) if tid is not None and self._df[tid] > 0 else 0.0

    def distinct_terms(self, doc_id: str) -> int:
        """How many different terms a document has (0 if it is not indexed)."""
        with self._lock:
            ids = self._docs.get(str(doc_id))
            return 0 if ids is None else len(np.unique(ids))

    def doc_terms(self, doc_id: str) -> list[str]:
        """Return the distinct terms of a document, in document order."""
        with self._lock:
            ids = self._docs.get(str(doc_id))
            if ids is None:
                return []
            return [self._terms[i] for i in dict.fromkeys(ids.tolist())]

    def term_counts(self, doc_id: str) -> Counter[str] | None:
        """A document's terms with how often each occurs (None if it is not indexed)."""
        with self._lock:
            ids = self._docs.get(str(doc_id))
            if ids is None:
                return None
            return Counter({self._terms[t]: int(c) for t, c in Counter(ids.tolist()).items()})

    def key_terms(self, doc_id: str, n: int = 24) -> list[str]:
        """Return a document's n most distinctive terms (highest tf·idf), for "more like this"."""
        with self._lock:
            ids = self._docs.get(str(doc_id))
            if ids is None or len(ids) == 0:
                return []
            counts = Counter(ids.tolist())
            ranked = sorted(counts, key=lambda t: (-counts[t] * self._idf(t), self._terms[t]))
            return [self._terms[t] for t in ranked[:n]]

    def matched_terms(self, query: str | Sequence[str], doc_id: str) -> list[str]:
        """Return the query terms present in the document (longest forms only), in query order."""
        toks = tokenize(query) if isinstance(query, str) else list(query)
        with self._lock:
            ids = self._docs.get(str(doc_id))
            if ids is None:
                return []
            present = {self._terms[i] for i in set(ids.tolist())}
        return prune_subwords([t for t in toks if t in present])

    # ---- persistence -----------------------------------------------------------------------

    def snapshot(self) -> tuple[Header, dict[str, Section]]:
        """Return (header, sections) describing the current state, for writing outside the lock."""
        with self._lock:
            doc_ids = list(self._docs)
            lengths = np.fromiter((len(self._docs[d]) for d in doc_ids), dtype=np.int64, count=len(doc_ids))
            tokens = (np.concatenate([self._docs[d] for d in doc_ids]) if doc_ids
                      else np.zeros(0, dtype=np.int32)).astype(np.int32)
            meta = {"doc_ids": doc_ids, "terms": list(self._terms), "main_ids": list(self._main_ids),
                    "delta_ids": list(self._delta)}
            header = {"kind": "lexical", "format": FORMAT, "k1": self.k1, "b": self.b,
                      "count": len(doc_ids)}
            sections: dict[str, Section] = {
                "meta": json.dumps(meta, ensure_ascii=False).encode("utf-8"),
                "lengths": lengths, "tokens": tokens, "data": self._data,
                "indices": self._indices, "indptr": self._indptr,
                "alive": self._alive.astype(np.uint8)}
        return header, sections

    def save(self, directory: PathArg) -> Path:
        """Write the index atomically to `directory`/lexical.idx and return the file path."""
        path = Path(directory) / FILENAME
        header, sections = self.snapshot()
        write_container(path, header, sections)
        return path

    @classmethod
    def load(cls, directory: PathArg, **kwargs: Unpack[LexicalOptions]) -> LexicalIndex:
        """Read an index written by `save`; raises IndexCorrupt on a damaged or foreign file."""
        head, sec = read_container(Path(directory) / FILENAME)
        if head.get("kind") != "lexical" or head.get("format") != FORMAT:
            raise IndexCorrupt("not a lexical index file of a supported format")
        try:
            meta = json.loads(section_bytes(sec, "meta").decode("utf-8"))
            index = cls(**{**kwargs, "k1": head["k1"], "b": head["b"]})
            index._terms = list(meta["terms"])
            index._vocab = {t: i for i, t in enumerate(index._terms)}
            index._df = np.zeros(len(index._terms), dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum(sec["lengths"])])
            tokens = np.array(sec["tokens"], dtype=np.int32)
            for i, doc_id in enumerate(meta["doc_ids"]):
                ids = tokens[offsets[i]:offsets[i + 1]]
                index._docs[doc_id] = ids
                index._df[np.unique(ids)] += 1
            index._total_len = int(len(tokens))
            index._set_main(list(meta["main_ids"]), np.array(sec["data"]), np.array(sec["indices"]),
                            np.array(sec["indptr"]), np.array(sec["alive"], dtype=bool))
            if len(index._alive) != len(index._main_ids):
                raise IndexCorrupt("lexical index main segment is inconsistent")
            for doc_id in meta["delta_ids"]:
                counts = Counter(index._docs[doc_id].tolist())
                index._delta[doc_id] = counts
                index._delta_len[doc_id] = len(index._docs[doc_id])
                for tid, tf in counts.items():
                    index._postings.setdefault(tid, {})[doc_id] = tf
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise IndexCorrupt(f"malformed lexical index: {exc}") from None
        if len(index._docs) != head.get("count"):
            raise IndexCorrupt("lexical index document count does not match its header")
        return index
