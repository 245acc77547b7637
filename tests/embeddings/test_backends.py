"""The backend contract: the embedded index and PostgreSQL (pgvector + tsvector) store, search and score alike.

Every test runs on both backends through the same `HybridIndex`; the PostgreSQL ones on a real server with
pgvector (see `tests/pgvector_server.py`).
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import sqlalchemy as sa

from embeddings.backend import EmbeddedBackend
from embeddings.hybrid import HybridIndex
from embeddings.pgbackend import PostgresBackend, tsquery_of
from tests.pgvector_server import fresh_database

DOCS = [
    ("offering:1", "视觉质检 AOI 缺陷检测 PCB 电路板 焊点", "S01"),
    ("offering:2", "设备预测性维护 振动 轴承 故障预警", "S02"),
    ("model:3", "工业大模型 知识问答 设备维修手册", None),
    ("need:4", "注塑件 表面 划痕 缺陷检测 需要 视觉质检", "S01"),
    ("need:5", "仓储 物流 AGV 调度 优化", "S03"),
    ("provider:6", "It's an \"odd\" doc: back\\slash & 'quotes' | ! <-> 视觉", None),
]


def make_backend(kind: str, encoder, engine_url: str | None = None):
    """A backend of the given kind for the encoder's identity."""
    if kind == "embedded":
        return EmbeddedBackend(encoder.info())
    engine = sa.create_engine(engine_url or fresh_database())
    backend = PostgresBackend(engine, encoder.info())
    backend.ensure_schema()
    return backend


@pytest.fixture(params=["embedded", "postgres"])
def index(request, fake_encoder):
    """A HybridIndex over DOCS on each backend."""
    idx = HybridIndex(fake_encoder, backend=make_backend(request.param, fake_encoder))
    idx.upsert_many(DOCS)
    return idx


@pytest.fixture(scope="module")
def pair(request):
    """Both backends over the same documents and vectors, for comparing scores."""
    from tests.embeddings.conftest import FakeEncoder

    encoder = FakeEncoder()
    embedded = HybridIndex(encoder, backend=make_backend("embedded", encoder))
    pg = HybridIndex(encoder, backend=make_backend("postgres", encoder))
    rng = np.random.default_rng(7)
    words = ["视觉", "质检", "缺陷", "检测", "预测性", "维护", "轴承", "大模型", "调度", "仓储", "排产", "能耗", "AOI",
             "PCB", "注塑", "焊点", "节能", "安全", "巡检", "机器人"]
    docs = [(f"offering:{i}", " ".join(rng.choice(words, size=int(rng.integers(3, 14)))), None) for i in range(120)]
    embedded.upsert_many(docs)
    embedded.compact()
    pg.upsert_many(docs)
    return embedded, pg


def test_a_stored_document_is_found_by_its_words_and_its_meaning(index):
    hits = index.search("视觉质检 缺陷检测", k=3)
    assert hits and hits[0].doc_id in {"offering:1", "need:4"}
    assert "offering:1" in index and len(index) == len(DOCS)
    assert index.backend.lexical({"轴承": 1.0}, 5)[0][0] == "offering:2"
    assert index.backend.dense(index.encoder.query(["设备预测性维护 振动 轴承 故障预警"])[0], 1)[0][0] == "offering:2"


def test_an_edit_replaces_the_old_text_and_a_removal_forgets_it(index):
    index.upsert("offering:2", "能耗 优化 空压机 节能", "S04")
    assert not index.backend.lexical({"轴承": 1.0}, 5)
    assert index.backend.lexical({"空压机": 1.0}, 5)[0][0] == "offering:2"
    assert index.backend.scenarios(["offering:2"]) == {"offering:2": "S04"}
    assert index.remove("offering:2") and not index.remove("offering:2")
    assert "offering:2" not in index and len(index) == len(DOCS) - 1
    assert index.backend.idf(["空压机"]) == {"空压机": 0.0}


def test_a_filter_admits_only_the_allowed_documents(index):
    found = index.search("缺陷检测 视觉", k=5, allowed={"need:4"})
    assert [h.doc_id for h in found] == ["need:4"]
    assert index.search("缺陷检测 视觉", k=5, allowed=set()) == []


def test_hostile_terms_are_matched_literally(index):
    assert tsquery_of(["a'b", "c\\d"]) == "'a''b' | 'c\\\\d'"
    hits = index.backend.lexical({"'quotes'": 1.0, "back\\slash": 1.0, "|": 1.0, "!": 1.0, "<->": 1.0}, 5)
    assert all(d == "provider:6" for d, _ in hits)


def test_stored_vectors_and_terms_come_back_as_they_went_in(index, fake_encoder):
    vec = index.backend.vectors(["model:3"])["model:3"]
    expected = index.passage_vectors(["工业大模型 知识问答 设备维修手册"])[0]
    assert np.allclose(vec, expected / np.linalg.norm(expected), atol=1e-6)
    assert index.backend.term_counts(["model:3"])["model:3"]["设备"] >= 1
    assert index.backend.vectors(["nope:1"]) == {}


def test_record_filters_are_sql_on_postgres(fake_encoder):
    url = fresh_database()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE offering (id int primary key, status text)"))
        conn.execute(sa.text("INSERT INTO offering VALUES (1, 'published'), (2, 'draft')"))
    backend = make_backend("postgres", fake_encoder, url)
    index = HybridIndex(fake_encoder, backend=backend)
    index.upsert_many(DOCS)
    offering = sa.table("offering", sa.column("id"), sa.column("status"))
    published = sa.select(offering.c.id).where(offering.c.status == "published")
    where = backend.where_records({"offering": published})
    assert {h.doc_id for h in index.search("视觉质检 设备 维护", k=10, allowed=where)} == {"offering:1"}
    assert index.search("视觉质检", k=10, allowed=backend.where_records({})) == []


def test_bm25_scores_agree_between_the_backends(pair):
    embedded, pg = pair
    for terms in ({"视觉": 1.0}, {"缺陷": 1.0, "检测": 0.5, "机器人": 2.0}, {"不存在": 1.0}):
        a = dict(embedded.backend.lexical(terms, 200))
        b = dict(pg.backend.lexical(terms, 200))
        assert a.keys() == b.keys()
        assert all(abs(a[d] - b[d]) < 1e-4 for d in a)
    assert abs(embedded.backend.self_score(["视觉", "新词"]) - pg.backend.self_score(["视觉", "新词"])) < 1e-9


def test_bm25_of_given_documents_agrees_with_their_lexical_scores(pair):
    """Ranking scores its pooled candidates' BM25: the database backend from the term counts it has already read,
    with no second query, and every backend as its own lexical search scores those documents."""
    embedded, pg = pair
    ids = [f"offering:{i}" for i in range(0, 120, 3)] + ["offering:999"]
    terms = {"缺陷": 1.0, "检测": 1.0, "机器人": 1.0, "不存在": 1.0}
    counts = pg.backend.term_counts(ids)
    for backend in (embedded.backend, pg.backend):
        scores = backend.bm25(terms, ids, counts)
        searched = dict(backend.lexical(terms, 500, allowed=set(ids)))
        assert scores.keys() == searched.keys() and scores
        assert all(abs(scores[d] - searched[d]) < 1e-4 for d in scores)
    assert pg.backend.bm25(terms, [], counts) == {} and pg.backend.bm25({}, ids, counts) == {}


def test_statistics_stay_exact_after_edits(pair):
    embedded, pg = pair
    for backend_index in (embedded, pg):
        backend_index.upsert("offering:0", "视觉 视觉 巡检")
        backend_index.remove("offering:1")
    counts = pg.backend.term_counts(pg.ids())
    df = Counter(t for c in counts.values() for t in c)
    idf = pg.backend.idf(df)
    assert idf == pytest.approx(embedded.backend.idf(df))
    assert pg.backend.n_docs() == len(embedded) == 119


def test_hybrid_rankings_agree_between_the_backends(pair):
    embedded, pg = pair
    embedded.compact()  # BM25 scores of the embedded main segment use the statistics of its last compaction
    for query in ("视觉 质检 缺陷", "预测性 维护 轴承", "能耗 节能 安全"):
        a, b = embedded.search(query, k=10), pg.search(query, k=10)
        assert [h.doc_id for h in a] == [h.doc_id for h in b]
        assert [h.relevance for h in a] == pytest.approx([h.relevance for h in b], abs=2e-3)  # float32 BM25 there


def test_the_database_backend_asks_for_its_lists_at_once_and_ranks_as_if_one_after_the_other(pair):
    """The PostgreSQL store runs the dense, lexical and auxiliary queries of a search in parallel threads (each on
    its own connection); the ranking is the one the same queries give in turn."""
    _, pg = pair
    assert pg.backend.concurrent
    at_once = {q: pg.search(q, k=10) for q in ("视觉 质检 缺陷", "预测性 维护 轴承", "能耗 节能 安全")}
    pg.backend.concurrent = False
    try:
        for query, hits in at_once.items():
            again = pg.search(query, k=10)
            assert [(h.doc_id, h.relevance) for h in hits] == [(h.doc_id, h.relevance) for h in again]
    finally:
        pg.backend.concurrent = True


def test_the_database_computes_the_pools_cosines_where_the_vectors_are(pair, fake_encoder):
    """Ranking reads its pooled candidates' cosines with the query from PostgreSQL (and their vectors only where
    no scenario code stands for them): the cosines numpy gives from the stored vectors, and the same ranking."""
    embedded, pg = pair
    ids = [f"offering:{i}" for i in range(2, 60, 4)] + ["offering:999"]
    query = fake_encoder.query(["视觉 质检 缺陷 检测"])[0]
    facts = pg.backend.facts(ids, query)
    plain = pg.backend.facts(ids)
    assert facts.found == plain.found == set(plain.vectors) and "offering:999" not in facts.found
    assert facts.cosines is not None
    for doc_id in facts.found:
        assert facts.cosines[doc_id] == pytest.approx(float(plain.vectors[doc_id] @ query), abs=1e-5)
    assert set(facts.vectors) == {d for d in facts.found if d not in plain.scenarios}  # these docs carry no code
    assert facts.term_counts == plain.term_counts


def test_the_database_sends_only_the_query_terms_counts_with_each_documents_length(pair, fake_encoder):
    """Given the query's terms, PostgreSQL sends the pool's counts of those terms only (a document's whole term
    list is its longest column), with each document's length and number of distinct terms: BM25 and the content
    factor come out as from the whole lists."""
    _, pg = pair
    ids = [f"offering:{i}" for i in range(2, 80, 3)] + ["offering:999"]
    query = fake_encoder.query(["视觉 质检 缺陷 检测"])[0]
    terms = ["视觉", "缺陷", "机器人", "不存在"]
    whole = pg.backend.facts(ids, query)
    some = pg.backend.facts(ids, query, terms=terms)
    assert some.found == whole.found and some.cosines == whole.cosines
    for doc_id in whole.found:
        counts = whole.term_counts[doc_id]
        assert some.term_counts[doc_id] == Counter({t: n for t, n in counts.items() if t in terms})
        assert some.lengths is not None and some.lengths[doc_id] == sum(counts.values())
        assert some.distinct_terms(doc_id) == whole.distinct_terms(doc_id) == len(counts)
    weights = dict.fromkeys(terms, 1.0)
    assert pg.backend.bm25(weights, ids, some.term_counts, some.lengths) == \
        pytest.approx(pg.backend.bm25(weights, ids, whole.term_counts))
    plain = pg.backend.facts(ids, terms=terms)  # without the query's vectors too
    assert plain.term_counts == some.term_counts and plain.lengths == some.lengths


def test_bounded_lexical_candidates_are_the_ones_bm25_ranks_first(fake_encoder, monkeypatch):
    """Beyond EXACT_LEXICAL_DOCS only LEXICAL_CANDIDATES rows are scored. The rarest query term picks the rows; the
    ones kept are those holding most of the query's own terms, shorter first: the full score's best, not an
    arbitrary few of the rows the rare term ties (the stored tsvector has no counts)."""
    import embeddings.pgbackend as pgbackend

    index = HybridIndex(fake_encoder, backend=make_backend("postgres", fake_encoder))
    filler = " ".join(["仓储", "物流", "调度", "排产", "能耗", "巡检", "安全", "节能"] * 3)
    docs = [(f"case:{i}", f"焊点 {filler} {i}", None) for i in range(25)]  # stored before the best (ids in order)
    docs += [(f"need:{i}", f"缺陷 检测 {filler}", None) for i in range(40)]  # the common terms, without 焊点
    docs += [(f"provider:{i}", "焊点 缺陷 检测", None) for i in range(5)]  # what BM25 ranks first
    index.upsert_many(docs)
    terms = {"焊点": 1.0, "缺陷": 1.0, "检测": 1.0}
    best = {f"provider:{i}" for i in range(5)}
    assert {d for d, _ in index.backend.lexical(terms, 5)} == best  # exact below EXACT_LEXICAL_DOCS
    monkeypatch.setattr(pgbackend, "EXACT_LEXICAL_DOCS", 10)
    monkeypatch.setattr(pgbackend, "LEXICAL_CANDIDATES", 5)
    monkeypatch.setattr(pgbackend, "LEXICAL_PICK_ROWS", 30)  # 焊点 (in 30 rows) alone picks
    assert {d for d, _ in index.backend.lexical(terms, 5)} == best
