"""Embedding-like vectors for a large catalogue without encoding it, and the embedded index built from them.

`make_vectors(docs)` encodes a few hundred of the documents with the app's real encoders (e5, and USE for
e5's auxiliary list) and gives every other document a noisy mixture of two real vectors of its own
scenario: the catalogue gets the clustered, scenario-aligned shape of real embeddings in seconds (uniform
random vectors would make the ANN graph a meaningless worst case, and unrelated vectors would make the
scenario signal noise). The sampled documents keep their exact vectors. Any store that accepts given
vectors (the embedded files here; a stored-vectors table or pgvector column likewise) can take its output.

`build_embedded_index(app, docs, dense, aux)` fills and saves the app's embedded index (FAISS + bm25 files)
from such vectors, with the change stamps the app checks at start, so workers load it instead of encoding.
"""
from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session, selectinload

from embeddings import load_encoder
from embeddings.defaults import DEFAULT_BACKEND, DEFAULT_OPTIONS
from embeddings.encoder import Encoder
from embeddings.hybrid import AUX_FOR, load_aux_encoder
from embeddings.text import collapse_repeats

SAMPLE = 320
NOISE = 0.3
Vectors = npt.NDArray[np.float32]


class Doc(Protocol):
    """What `make_vectors` reads of a document (`marketplace.matching.documents.Document` has it)."""

    text: str
    scenario: str | None


def app_encoders(backend: str = DEFAULT_BACKEND) -> tuple[Encoder, Encoder | None]:
    """The encoders an app index of this backend uses: the main one and, for e5, the auxiliary USE."""
    encoder = load_encoder(backend)
    aux = load_aux_encoder() if DEFAULT_OPTIONS.aux_weight > 0 and encoder.backend in AUX_FOR else None
    return encoder, aux


def _mix(base: Vectors, groups: dict[str | None, list[int]], group_of: list[str | None],
         n: int, seed: int) -> Vectors:
    """n unit vectors, each a mixture of two rows of `base` from its group plus a little noise."""
    gen = np.random.default_rng(seed)
    every = list(range(len(base)))
    first = np.empty(n, dtype=np.int64)
    second = np.empty(n, dtype=np.int64)
    for i, group in enumerate(group_of):
        rows = groups.get(group) or every
        first[i], second[i] = rows[gen.integers(len(rows))], rows[gen.integers(len(rows))]
    alpha = gen.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
    noise = gen.standard_normal((n, base.shape[1])).astype(np.float32) * (NOISE / math.sqrt(base.shape[1]))
    out = alpha * base[first] + (1 - alpha) * base[second] + noise
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out.astype(np.float32)


def make_vectors(docs: Sequence[Doc], encoder: Encoder | None = None, aux_encoder: Encoder | None = None,
                 sample: int = SAMPLE, seed: int = 7, use_aux: bool = True) -> tuple[Vectors, Vectors | None]:
    """Return (dense, aux) vectors, one row per document, encoding only about `sample` of them.

    Without encoders given, the app's default ones are loaded (aux is None when the backend has none or
    `use_aux` is False). The sample takes documents evenly from every scenario.
    """
    if encoder is None:
        encoder, default_aux = app_encoders()
        aux_encoder = aux_encoder or (default_aux if use_aux else None)
    by_scenario: dict[str | None, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        by_scenario[doc.scenario].append(i)
    rng = random.Random(seed)
    per_group = max(2, math.ceil(sample / max(1, len(by_scenario))))
    picked = sorted(i for rows in by_scenario.values() for i in rng.sample(rows, min(per_group, len(rows))))
    texts = [collapse_repeats(docs[i].text) for i in picked]
    group_rows: dict[str | None, list[int]] = defaultdict(list)
    for row, i in enumerate(picked):
        group_rows[docs[i].scenario].append(row)
    group_of = [doc.scenario for doc in docs]
    results: list[Vectors | None] = []
    for k, enc in enumerate((encoder, aux_encoder)):
        if enc is None:
            results.append(None)
            continue
        base = np.asarray(enc.passage(texts), dtype=np.float32)
        out = _mix(base, group_rows, group_of, len(docs), seed + k)
        out[picked] = base
        results.append(out)
    dense, aux = results
    assert dense is not None
    return dense, aux


def read_documents(session: Session) -> list:
    """Every indexed record's document, read kind by kind with its relationships loaded in bulk."""
    from marketplace.kinds import all_kinds
    from marketplace.matching.documents import document_for

    docs: list = []
    for kind in all_kinds():
        relations = [selectinload(getattr(kind.model, rel.key)) for rel in kind.model.__mapper__.relationships
                     if not rel.viewonly]
        stmt = kind.indexed().order_by(kind.model.id).options(*relations).execution_options(yield_per=2000)
        docs.extend(document_for(record) for record in session.scalars(stmt))
    return docs


def build_embedded_index(app, docs: Sequence, dense: Vectors, aux: Vectors | None) -> dict[str, float]:
    """Fill the app's index (embedded files or PostgreSQL rows) from given vectors; returns timings (s).

    Through the index's public interface: `documents` tokenises the texts (timed as the lexical part), the
    embedded store then builds FAISS + BM25 and saves them; the PostgreSQL store writes the rows with the vector
    indexes dropped and builds them afterwards (timed as the ANN build from stored vectors).
    """
    engine = app.extensions["matching"]
    timings: dict[str, float] = {}
    with app.app_context():
        index = engine._new_index()
    stamps = {d.doc_id: d.stamp for d in docs}
    started = time.perf_counter()
    stored = index.documents([(d.doc_id, d.text, d.scenario) for d in docs], dense, aux, stamps=stamps)
    timings["lexical_build_s"] = time.perf_counter() - started
    if engine.persistent:
        backend = index.backend
        backend.ensure_schema()
        backend.drop_vector_indexes()
        started = time.perf_counter()
        for start in range(0, len(stored), 2000):
            index.upsert_documents(stored[start:start + 2000])
        timings["save_s"] = time.perf_counter() - started
        started = time.perf_counter()
        backend.ensure_schema()
        timings["ann_build_s"] = time.perf_counter() - started
        return timings
    started = time.perf_counter()
    index.upsert_documents(stored)
    index.compact()
    timings["ann_build_s"] = time.perf_counter() - started
    started = time.perf_counter()
    engine._install(index, stamps)
    timings["save_s"] = time.perf_counter() - started
    return timings
