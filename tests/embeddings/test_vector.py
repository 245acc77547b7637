"""VectorIndex: FAISS with string ids, edits, filters, and a file format that detects damage."""
from __future__ import annotations

import os

import numpy as np
import pytest

from embeddings.errors import IndexCorrupt, IndexMismatch
from embeddings.fsio import TMP_PREFIX, ids_checksum, read_header
from embeddings.vector import VectorIndex

DIM = 16


def unit(n: int, seed: int = 0) -> np.ndarray:
    """n random unit vectors."""
    x = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def build(n: int = 200, **kwargs) -> tuple[VectorIndex, list[str], np.ndarray]:
    """An index of n random vectors with ids d0..d{n-1}."""
    index = VectorIndex(DIM, "test-backend", "test-model", **kwargs)
    ids, vecs = [f"d{i}" for i in range(n)], unit(n)
    index.add_many(ids, vecs)
    return index, ids, vecs


@pytest.mark.parametrize("threshold", [10**6, 50], ids=["flat", "hnsw"])
def test_nearest_neighbour_is_the_vector_itself(threshold):
    """Does searching with a stored vector return that document first, for both index kinds?"""
    index, ids, vecs = build(hnsw_threshold=threshold)
    assert index.kind == ("flat" if threshold > 200 else "hnsw")
    for i in (0, 57, 199):
        hits = index.search(vecs[i], 5)
        assert hits[0][0] == ids[i]
        assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


@pytest.mark.parametrize("threshold", [10**6, 50], ids=["flat", "hnsw"])
def test_update_and_remove_are_visible_at_once(threshold):
    """After an update the old vector no longer finds the doc and the new one does; removal hides it."""
    index, ids, vecs = build(hnsw_threshold=threshold)
    new = unit(1, seed=99)[0]
    index.update("d3", new)
    assert index.search(vecs[3], 1)[0][0] != "d3"
    assert index.search(new, 1)[0][0] == "d3"
    assert index.remove("d3") and not index.remove("d3")
    assert all(d != "d3" for d, _ in index.search(new, 50))
    assert len(index) == 199 and "d3" not in index


@pytest.mark.parametrize("threshold", [10**6, 50], ids=["flat", "hnsw"])
@pytest.mark.parametrize("size", [3, 150], ids=["small-set", "large-set"])
def test_allowed_limits_results(threshold, size):
    """Are only allowed ids returned, by the exact scan for small sets and the ID selector for large ones?"""
    index, ids, vecs = build(hnsw_threshold=threshold, exact_scan_limit=10)
    allowed = set(ids[:size])
    hits = index.search(vecs[190], 20, allowed=allowed)
    assert hits and {d for d, _ in hits} <= allowed
    assert len(hits) == min(20, size)
    brute = sorted(((d, float(vecs[int(d[1:])] @ vecs[190])) for d in allowed), key=lambda p: -p[1])
    assert hits[0][0] == brute[0][0]


def test_hnsw_is_used_above_the_threshold_and_keeps_labels():
    """Does the index switch to HNSW when it grows past the threshold, keeping every id?"""
    index = VectorIndex(DIM, hnsw_threshold=100)
    vecs = unit(150)
    index.add_many([f"d{i}" for i in range(90)], vecs[:90])
    assert index.kind == "flat"
    index.add_many([f"d{i}" for i in range(90, 150)], vecs[90:])
    assert index.kind == "hnsw" and len(index) == 150
    assert index.search(vecs[5], 1)[0][0] == "d5"


def test_tombstones_are_purged_by_compaction():
    """Does compaction rebuild an HNSW index without the tombstoned vectors?"""
    index, ids, vecs = build(hnsw_threshold=50, compact_ratio=0.9)
    for i in range(10):
        index.remove(f"d{i}")
    assert len(index._deleted) == 10
    index.compact()
    assert not index._deleted and index._index.ntotal == 190
    assert index.search(vecs[20], 1)[0][0] == "d20"


def test_save_and_load_round_trip(tmp_path):
    """Does a loaded index answer like the saved one and carry the identity header?"""
    index, ids, vecs = build(hnsw_threshold=50)
    index.remove("d7")
    path = index.save(tmp_path / "vec.idx")
    loaded = VectorIndex.load(path, backend="test-backend", model_id="test-model", dim=DIM)
    assert loaded.kind == "hnsw" and sorted(loaded.ids()) == sorted(index.ids())
    for i in (0, 8, 150):
        assert loaded.search(vecs[i], 5) == index.search(vecs[i], 5)
    head = read_header(path)
    assert head["count"] == 199 and head["dim"] == DIM and head["format"] == 1
    assert head["ids_sha256"] == ids_checksum(index.ids())


def test_save_leaves_no_temporary_files(tmp_path):
    """After an atomic save, is the target the only file in the directory?"""
    index, _, _ = build()
    index.save(tmp_path / "vec.idx")
    index.save(tmp_path / "vec.idx")
    assert os.listdir(tmp_path) == ["vec.idx"]


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    """If the rename fails mid-save, is the old file intact and the temp file gone?"""
    index, ids, vecs = build()
    path = index.save(tmp_path / "vec.idx")
    before = path.read_bytes()
    index.remove("d0")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        index.save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert not [n for n in os.listdir(tmp_path) if n.startswith(TMP_PREFIX)]
    assert "d0" in VectorIndex.load(path)


def test_truncated_file_is_corrupt(tmp_path):
    """Is a file cut short detected before it is used?"""
    index, _, _ = build()
    path = index.save(tmp_path / "vec.idx")
    data = path.read_bytes()
    for cut in (4, 20, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:cut])
        with pytest.raises(IndexCorrupt):
            VectorIndex.load(path)


def test_random_bytes_and_bit_flips_are_corrupt(tmp_path):
    """Are a foreign file and a single flipped payload bit both reported as IndexCorrupt?"""
    path = tmp_path / "vec.idx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(path)
    index, _, _ = build()
    index.save(path)
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt):
        VectorIndex.load(path)


def test_index_from_another_model_or_dimension_is_a_mismatch(tmp_path):
    """Is a valid file built by another backend, model or dimension refused with IndexMismatch?"""
    index, _, _ = build()
    path = index.save(tmp_path / "vec.idx")
    with pytest.raises(IndexMismatch):
        VectorIndex.load(path, backend="e5")
    with pytest.raises(IndexMismatch):
        VectorIndex.load(path, model_id="intfloat/multilingual-e5-small")
    with pytest.raises(IndexMismatch):
        VectorIndex.load(path, dim=384)
    other = VectorIndex(32, "test-backend", "test-model")
    other.add("x", np.ones(32, dtype=np.float32))
    other.save(tmp_path / "other.idx")
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path / "other.idx", backend="test-backend", model_id="test-model", dim=DIM)


def test_wrong_vector_dimension_is_rejected():
    """Is adding or searching with a vector of the wrong size a ValueError?"""
    index, _, _ = build(10)
    with pytest.raises(ValueError):
        index.add("bad", np.ones(DIM + 1, dtype=np.float32))
    with pytest.raises(ValueError):
        index.search(np.ones(DIM - 1, dtype=np.float32), 3)


def test_ids_checksum_ignores_order():
    """Can a caller compare the index with its database ids regardless of order?"""
    assert ids_checksum(["b", "a", "c"]) == ids_checksum(["c", "b", "a"])
    assert ids_checksum(["a", "b"]) != ids_checksum(["a", "b", "c"])


def test_empty_index_searches_to_nothing_and_round_trips(tmp_path):
    """Does an empty index search, save and load without errors?"""
    index = VectorIndex(DIM)
    assert index.search(unit(1)[0], 5) == []
    loaded = VectorIndex.load(index.save(tmp_path / "empty.idx"))
    assert len(loaded) == 0
