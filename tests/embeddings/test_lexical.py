"""LexicalIndex: BM25 over jieba tokens, single-document edits without a rebuild, persistence."""
from __future__ import annotations

import pytest

from embeddings.errors import IndexCorrupt
from embeddings.lexical import FILENAME, LexicalIndex

DOCS = {
    "cnc": "FANUC 0i-MF 数控系统报警诊断，给出维修步骤",
    "aoi": "SMT产线AOI误报率高，深度学习复判焊点缺陷",
    "mould": "注塑件表面缩痕、飞边视觉检测，降低漏检率",
    "air": "空压机群控节能，按用气量调度",
    "agv": "AGV 调度系统，线边仓物料配送",
}


@pytest.fixture
def index() -> LexicalIndex:
    """A lexical index over five short documents (main segment built)."""
    ix = LexicalIndex()
    ix.add_many(DOCS.items())
    return ix


def ids(hits):
    """The doc ids of search hits."""
    return [d for d, _ in hits]


def test_mixed_text_queries_hit_the_right_document(index):
    """Do model numbers and mixed Chinese/English queries find their document first?"""
    assert ids(index.search("0i-MF 报警", 3))[0] == "cnc"
    assert ids(index.search("AOI 误报", 3))[0] == "aoi"
    assert ids(index.search("缩痕 漏检", 3))[0] == "mould"


def test_unknown_or_empty_queries_return_nothing(index):
    """Is a query with no indexed term an empty result, not an error?"""
    assert index.search("区块链元宇宙", 5) == []
    assert index.search("", 5) == []
    assert index.search("的", 5) == []


def test_update_is_visible_to_the_next_search(index):
    """After re-indexing a document with new text, does the old text stop matching and the new match?"""
    index.update("air", "冷站能耗优化，冷水机组群控")
    assert "air" not in ids(index.search("空压机", 5))
    assert ids(index.search("冷水机组", 5)) == ["air"]
    assert index.pending() == 2


def test_remove_is_visible_to_the_next_search(index):
    """Is a removed document gone from results at once?"""
    assert index.remove("aoi") is True
    assert "aoi" not in ids(index.search("AOI 误报率", 5))
    assert index.remove("aoi") is False
    assert "aoi" not in index and len(index) == 4


def test_delta_scores_equal_scores_after_compaction(index):
    """Is a document added through the delta scored exactly as after a full rebuild?"""
    index.add("new", "AOI 复判 误报 一体机")
    before = dict(index.search("AOI 误报", 10))["new"]
    index.compact()
    assert index.pending() == 0
    after = dict(index.search("AOI 误报", 10))["new"]
    assert before == pytest.approx(after, rel=1e-5)


def test_automatic_compaction_keeps_results(index):
    """When the delta outgrows its limit and is folded in, are results unchanged?"""
    ix = LexicalIndex(compact_min=3)
    ix.add_many(DOCS.items())
    for i in range(3):
        ix.add(f"extra{i}", f"AOI 检测 第{i}台")
    assert ix.pending() == 3
    ix.add("extra3", "AOI 检测 第3台")
    assert ix.pending() == 0
    assert {f"extra{i}" for i in range(4)} <= set(ids(ix.search("AOI", 10)))


def test_allowed_restricts_results(index):
    """Does `allowed` limit results to the given ids, in the main segment and the delta alike?"""
    index.add("aoi2", "AOI 误报 复判")
    assert ids(index.search("AOI", 5, allowed={"aoi2"})) == ["aoi2"]
    assert ids(index.search("AOI", 5, allowed={"aoi"})) == ["aoi"]
    assert index.search("AOI", 5, allowed=set()) == []


def test_ties_are_broken_by_doc_id():
    """Do documents with equal scores come back in doc-id order?"""
    ix = LexicalIndex()
    ix.add_many([("b", "视觉质检"), ("a", "视觉质检"), ("c", "排程")])
    assert ids(ix.search("视觉质检", 5)) == ["a", "b"]


def test_matched_terms_lists_longest_query_terms_in_the_document(index):
    """Are the explanation terms the query's terms present in the doc, without redundant sub-words?"""
    assert index.matched_terms("SMT产线 AOI 误报率 太高", "aoi") == ["smt", "产线", "aoi", "误报率"]
    assert index.matched_terms("空压机", "aoi") == []
    assert index.matched_terms("空压机", "missing") == []


def test_save_and_load_round_trip_with_pending_edits(index, tmp_path):
    """Does a saved index, delta and tombstones included, answer exactly like the original?"""
    index.add("new", "AOI 一体机")
    index.remove("cnc")
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    for query in ("AOI", "报警", "注塑 缩痕", "调度"):
        assert loaded.search(query, 5) == index.search(query, 5)
    assert sorted(loaded.ids()) == sorted(index.ids())
    assert loaded.pending() == index.pending()


def test_damaged_file_is_reported_as_corrupt(index, tmp_path):
    """Is a truncated lexical file an IndexCorrupt error?"""
    path = index.save(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-7])
    with pytest.raises(IndexCorrupt):
        LexicalIndex.load(tmp_path)
    assert path.name == FILENAME
