"""Quality parity: the evaluation sets score the same on the embedded index and on PostgreSQL with pgvector.

The seeded catalogue's solution documents (the corpus `make evaluate` scores) are copied, with the same stored
vectors and terms, into a fresh embedded backend and into a PostgreSQL backend; the three evaluation sets are
run through the same ranking on both. nDCG@10 of the hybrid ranking must agree within 0.01.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from embeddings.backend import EmbeddedBackend, StoredDocument
from embeddings.evaluate import qrels_for, read_jsonl, run_queries, score_run
from embeddings.hybrid import HybridIndex
from embeddings.pgbackend import PostgresBackend
from marketplace.kinds import all_kinds
from marketplace.matching.documents import doc_id
from tests.pgvector_server import fresh_database

EVAL = Path(__file__).resolve().parents[2] / "eval"


def copy_of(index: HybridIndex, backend, keys: dict[str, str]) -> HybridIndex:
    """A new index on `backend` holding the given documents of `index` under their seed keys."""
    source = index.backend
    ids = list(keys)
    vectors, aux = source.vectors(ids), source.aux_vectors(ids)
    counts, codes = source.term_counts(ids), source.scenarios(ids)
    docs = [StoredDocument(keys[d], list(Counter(counts[d]).elements()), codes.get(d), vectors[d],
                           aux.get(d) if source.has_aux else None) for d in ids]
    copy = HybridIndex(index.encoder, scenarios=index.scenarios, aux_encoder=index.aux_encoder, backend=backend)
    copy.upsert_documents(docs)
    copy.compact()
    return copy


@pytest.fixture(scope="module")
def both(seeded):
    """(embedded, postgres) indexes over the seeded solution documents, and the corpus rows for grading."""
    model_kind = {k.model.__name__: k for k in all_kinds() if k.solution}
    with seeded.app.app_context():
        index = seeded.app.extensions["matching"].index()
        keys = {doc_id(model_kind[m].name, pk): key for key, (m, pk) in seeded.ids.items() if m in model_kind}
        keys = {d: k for d, k in keys.items() if d in index}
        info = index.encoder.info(), index.aux_encoder.info() if index.aux_encoder is not None else None
        embedded = copy_of(index, EmbeddedBackend(*info), keys)
        backend = PostgresBackend(sa.create_engine(fresh_database()), *info)
        backend.ensure_schema()
        postgres = copy_of(index, backend, keys)
        codes = index.backend.scenarios(list(keys))
    corpus = [{"id": key, "scenario": codes.get(d)} for d, key in keys.items()]
    return embedded, postgres, corpus


@pytest.mark.parametrize("queries, grading", [("queries.jsonl", "item"), ("queries.jsonl", "scenario"),
                                              ("real_queries.jsonl", "scenario")])
def test_evaluation_sets_score_alike_on_both_backends(both, queries, grading):
    embedded, postgres, corpus = both
    rows = read_jsonl(EVAL / queries)
    qrels = qrels_for(rows, corpus, grading)
    graded = [q for q in rows if q["id"] in qrels]
    min_grade = 2 if grading == "item" else 1
    scores = [score_run(run_queries(index, graded)["hybrid"], qrels, min_grade)["ndcg@10"]
              for index in (embedded, postgres)]
    assert len(graded) >= 40
    assert scores[0] > 0.5
    assert abs(scores[0] - scores[1]) <= 0.01, scores
