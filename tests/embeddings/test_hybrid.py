"""HybridIndex: the app's seam — fused search, edits, explanations, versioned saves."""
from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from embeddings.errors import IndexCorrupt, IndexMismatch
from embeddings.hybrid import MANIFEST, HybridIndex
from tests.embeddings.conftest import FakeEncoder


def top_ids(hits, n=3):
    """The first n doc ids of a result list."""
    return [h.doc_id for h in hits[:n]]


@pytest.mark.parametrize("query, doc", [
    ("锂电池极片涂布有划痕和漏箔", "d03"),
    ("FANUC 0i-MF 出现 SV0401 报警", "d09"),
    ("SMT 贴片 AOI 误报太多，焊点缺陷复判", "d01"),
    ("注塑件缩痕飞边漏检", "d02"),
    ("edge box with RTX 4060 for surface defect detection", "d31"),
])
def test_a_specific_defect_query_finds_its_listing_in_the_top_three(sample_index, query, doc):
    """Does a query naming a specific defect or model number find the right listing in the top 3?"""
    assert doc in top_ids(sample_index.search(query, 10))


def test_hits_carry_their_evidence(sample_index):
    """Does each hit explain itself: scores, ranks, matched terms, a 0..1 relevance figure?"""
    hits = sample_index.search("FANUC 0i-MF 报警 维修知识库", 5)
    best = hits[0]
    assert best.doc_id == "d09"
    assert 0.0 < best.score <= 1.0
    assert best.dense_rank is not None and best.lexical_rank is not None
    assert -1.0 <= best.dense_score <= 1.0 and best.lexical_score > 0
    assert {"fanuc", "0i-mf", "报警"} <= set(best.matched_terms)
    assert "0i" not in best.matched_terms
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.dense_score is not None for h in hits)
    assert json.dumps([h.as_dict() for h in hits], ensure_ascii=False)


def test_removed_document_disappears_at_once(sample_index):
    """Is a removed listing gone from the very next search, dense and lexical alike?"""
    assert "d03" in top_ids(sample_index.search("极片涂布漏箔", 5))
    assert sample_index.remove("d03") is True
    hits = sample_index.search("极片涂布漏箔", 32)
    assert "d03" not in [h.doc_id for h in hits]
    assert "d03" not in sample_index and len(sample_index) == 31


def test_upsert_replaces_a_document_at_once(sample_index):
    """After re-indexing a listing with new text, does search follow the new text immediately?"""
    sample_index.upsert("d26", "光伏组件 EL 隐裂检测，电致发光图像识别隐裂、断栅和黑片", scenario="online_inspection")
    assert top_ids(sample_index.search("光伏组件隐裂 EL 检测", 5), 1) == ["d26"]
    assert "d26" not in top_ids(sample_index.search("小家电销量预测 安全库存", 5), 2)


def test_allowed_filters_both_retrievers(sample_index):
    """Are only allowed ids returned, even when better matches exist outside the set?"""
    allowed = {"d14", "d15", "d16"}
    hits = sample_index.search("锂电池极片涂布漏箔", 10, allowed=allowed)
    assert hits and {h.doc_id for h in hits} <= allowed


def test_similar_excludes_the_document_and_finds_its_neighbours(sample_index):
    """Does "similar listings" return related documents but never the document itself?"""
    hits = sample_index.similar("d06", 5)
    assert "d06" not in [h.doc_id for h in hits]
    assert {"d07", "d08"} & set(top_ids(hits, 3))
    with pytest.raises(KeyError):
        sample_index.similar("nope", 5)


def test_scenario_agreement_lifts_same_scenario_listings(e5, corpus, corpus_vectors, scenario_texts, tmp_path):
    """With a query scenario given, do same-scenario listings get agreement 1 and others 0?"""
    index = HybridIndex(e5, tmp_path, scenarios=scenario_texts)
    index.upsert_many(corpus, vectors=corpus_vectors)
    hits = index.search("振动 温度 电流 监测", 10, scenario="predictive_maintenance")
    by_id = {h.doc_id: h for h in hits}
    scen = {row["id"]: row["scenario"] for row in corpus}
    for doc_id, hit in by_id.items():
        expected = 1.0 if scen[doc_id] == "predictive_maintenance" else 0.0
        assert hit.scenario_agreement == pytest.approx(expected)
    plain = index.search("振动 温度 电流 监测", 10, scenario_boost=0.0)
    assert all(h.scenario_agreement is None for h in plain)
    assert top_ids(hits, 1)[0] in {"d06", "d07", "d08"}
    predicted = index.search("振动 温度 电流 监测", 10)
    assert all(0.0 <= h.scenario_agreement <= 1.0 for h in predicted)


def test_save_then_load_in_a_new_instance_gives_the_same_results(sample_index, e5):
    """Does a fresh instance loading the saved index answer exactly as the original?"""
    sample_index.remove("d30")
    sample_index.upsert("d99", "陶瓷釉面缺陷检测，针孔、缺釉和色差")
    version = sample_index.save()
    fresh = HybridIndex(e5, sample_index.directory)
    assert fresh.load() == version == fresh.version
    for query in ("釉面针孔", "空压机节能", "FANUC 报警", "经营日报"):
        assert [h.as_dict() for h in fresh.search(query, 8)] == [h.as_dict() for h in sample_index.search(query, 8)]
    assert sorted(fresh.ids()) == sorted(sample_index.ids())


def test_version_increments_and_other_workers_notice(sample_index, e5):
    """Does every save raise the version, and can another instance see and load the newer one?"""
    worker = HybridIndex(e5, sample_index.directory)
    assert worker.version_on_disk() == 0
    v1 = sample_index.save()
    assert worker.reload_if_newer() is True and worker.version == v1
    assert worker.reload_if_newer() is False
    sample_index.upsert("d98", "冲压模具寿命预测")
    v2 = sample_index.save()
    assert v2 == v1 + 1 and worker.version_on_disk() == v2
    assert worker.reload_if_newer() and "d98" in worker
    generations = sorted(p.name for p in sample_index.directory.iterdir() if p.is_dir())
    assert generations == [f"v{v1:08d}", f"v{v2:08d}"]


def test_version_never_goes_backwards_across_writers(sample_index, e5):
    """Does a writer that started from an older copy still save a higher version than the disk?"""
    sample_index.save()
    sample_index.save()
    other = HybridIndex(e5, sample_index.directory)
    other.upsert("x", "视觉质检")
    assert other.save() == 3


def test_verify_compares_with_expected_ids(sample_index, corpus):
    """Does verify tell whether the index holds exactly the database's ids?"""
    ids = [row["id"] for row in corpus]
    assert sample_index.verify(reversed(ids))
    assert not sample_index.verify(ids[:-1])
    assert not sample_index.verify(ids + ["d77"])


def test_index_built_by_another_encoder_is_a_mismatch(sample_index):
    """Is a saved index refused by an instance with a different model?"""
    sample_index.save()
    other = HybridIndex(FakeEncoder(dim=384, model_id="other"), sample_index.directory)
    with pytest.raises(IndexMismatch):
        other.load()
    assert other.load_if_valid() is False and len(other) == 0


def test_damaged_generation_is_corrupt_and_load_if_valid_says_rebuild(sample_index, e5, corpus):
    """Is a damaged file detected, and does load_if_valid report it instead of raising?"""
    version = sample_index.save()
    path = sample_index.directory / f"v{version:08d}" / "lexical.idx"
    path.write_bytes(path.read_bytes()[:-3])
    fresh = HybridIndex(e5, sample_index.directory)
    with pytest.raises(IndexCorrupt):
        fresh.load()
    assert fresh.load_if_valid() is False and len(fresh) == 0


def test_missing_or_stale_index_is_reported(e5, sample_index, corpus):
    """Is a directory without an index, or with other ids than expected, a reason to rebuild?"""
    empty = HybridIndex(e5, sample_index.directory / "nothing-here")
    with pytest.raises(FileNotFoundError):
        empty.load()
    assert empty.load_if_valid() is False
    sample_index.save()
    fresh = HybridIndex(e5, sample_index.directory)
    ids = [row["id"] for row in corpus]
    assert fresh.load_if_valid(expected_ids=ids) is True
    assert fresh.load_if_valid(expected_ids=ids + ["new"]) is False


def test_manifest_records_identity_and_checksum(sample_index, e5):
    """Does the manifest name the version, encoder and ids checksum?"""
    sample_index.save()
    manifest = json.loads((sample_index.directory / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["backend"] == "e5"
    assert manifest["model_id"] == e5.model_id and manifest["dim"] == 384
    assert manifest["count"] == 32 and len(manifest["ids_sha256"]) == 64


def test_concurrent_searches_and_upserts_stay_consistent(fake_encoder, tmp_path):
    """Do searches running while other threads upsert and remove see no errors and end consistent?"""
    index = HybridIndex(fake_encoder, tmp_path)
    index.upsert_many([(f"d{i}", f"视觉质检 第{i}号 AOI") for i in range(50)])
    errors: list[BaseException] = []

    def searcher():
        try:
            for _ in range(60):
                for hit in index.search("视觉质检 AOI", 10):
                    assert hit.doc_id.startswith(("d", "n"))
        except BaseException as exc:
            errors.append(exc)

    def writer(start):
        try:
            for i in range(start, start + 30):
                index.upsert(f"n{i}", f"预测性维护 {i}")
                index.remove(f"d{i % 50}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    threads += [threading.Thread(target=writer, args=(s,)) for s in (0, 100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(index.vector.ids()) == sorted(index.lexical.ids())
    assert index.verify(index.ids())


def test_upsert_many_reports_progress_and_accepts_vectors(fake_encoder, tmp_path):
    """Are progress callbacks made while encoding, and are precomputed vectors used as given?"""
    index = HybridIndex(fake_encoder, tmp_path)
    seen = []
    index.upsert_many([(f"d{i}", f"文本{i}") for i in range(40)], progress=lambda d, t: seen.append(d))
    assert seen[-1] == 40 and len(index) == 40
    vec = np.zeros((1, fake_encoder.dim), dtype=np.float32)
    vec[0, 3] = 1.0
    index.upsert_many([("v", "向量")], vectors=vec)
    np.testing.assert_allclose(index.vector.get_vector("v"), vec[0])
    with pytest.raises(ValueError):
        index.upsert_many([("a", "x"), ("b", "y")], vectors=vec)


def test_auxiliary_vectors_are_saved_and_an_index_without_them_is_rebuilt(sample_index, e5, corpus):
    """Does the e5 index keep its USE list across a save, and does one saved without it ask for a rebuild?"""
    assert sample_index.aux is not None and len(sample_index.aux) == len(sample_index)
    sample_index.save()
    fresh = HybridIndex(e5, sample_index.directory)
    fresh.load()
    assert fresh.aux is not None and sorted(fresh.aux.ids()) == sorted(sample_index.ids())
    plain = HybridIndex(e5, sample_index.directory.parent / "plain", aux_encoder=None)
    plain.upsert_many(corpus[:3])
    plain.save()
    with_aux = HybridIndex(e5, plain.directory)
    with pytest.raises(IndexMismatch):
        with_aux.load()
    assert with_aux.load_if_valid() is False
