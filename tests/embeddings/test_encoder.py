"""Encoders: offline loading for every backend, unit-norm float32 output, query/passage, caching."""
from __future__ import annotations

import numpy as np
import pytest

from embeddings.encoder import BACKENDS, canonical_backend, load_encoder, normalize
from tests.embeddings.conftest import NetworkBlocked, network_blocked

TEXTS = ["SMT产线AOI误报率高", "注塑件表面缩痕检测", "predictive maintenance for spindle bearings"]


@pytest.mark.parametrize("fixture", ["e5", "use_encoder", "minilm"])
def test_backend_loads_offline_and_returns_unit_float32_vectors(request, fixture):
    """Does each backend load with the network blocked and return normalised float32 rows?"""
    encoder = request.getfixturevalue(fixture)
    with network_blocked():
        q = encoder.query(TEXTS)
        p = encoder.passage(TEXTS, batch_size=2)
    for vecs in (q, p):
        assert vecs.dtype == np.float32
        assert vecs.shape == (len(TEXTS), encoder.dim)
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert encoder.backend in BACKENDS and encoder.model_id
    assert encoder.info() == {"backend": encoder.backend, "model_id": encoder.model_id, "dim": encoder.dim}


def test_network_block_really_blocks():
    """Would a model that tried to download something fail inside the block?"""
    import socket

    with network_blocked(), pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))


def test_e5_query_and_passage_vectors_differ(e5):
    """Does e5 apply its query/passage prefixes (same text, different vectors)?"""
    q, p = e5.query([TEXTS[0]])[0], e5.passage([TEXTS[0]])[0]
    assert not np.allclose(q, p)
    assert float(q @ p) > 0.8


def test_e5_ranks_a_matching_passage_above_an_unrelated_one(e5):
    """Does the default model put the relevant Chinese passage first?"""
    q = e5.query(["注塑件缩痕飞边怎么检测"])[0]
    p = e5.passage(["注塑件外观缺陷视觉检测，识别缩痕和飞边", "空压站群控节能，降低用电"])
    assert p[0] @ q > p[1] @ q


def test_dimensions_of_bundled_models(e5, use_encoder, minilm):
    """Are the dimensions the documented ones?"""
    assert (e5.dim, use_encoder.dim, minilm.dim) == (384, 512, 384)


def test_load_encoder_shares_instances_and_rejects_unknown_backends(e5):
    """Does the factory return the loaded model again, and refuse a name it does not know?"""
    assert load_encoder("e5") is e5
    assert canonical_backend("ST") == "sentence-transformers"
    with pytest.raises(ValueError):
        load_encoder("word2vec")


def test_sentence_transformers_backend_refuses_a_missing_directory(tmp_path):
    """Is a missing model directory an immediate, clear error rather than a hub download?"""
    with network_blocked(), pytest.raises(FileNotFoundError):
        load_encoder("sentence-transformers", str(tmp_path / "no-such-model"))


def test_query_cache_serves_repeats_without_encoding(fake_encoder):
    """Is a repeated query answered from the cache, and is the cached vector protected?"""
    first = fake_encoder.query(["视觉质检", "视觉质检", "排程"])
    assert fake_encoder.calls == 1
    again = fake_encoder.query(["排程"])
    assert fake_encoder.calls == 1
    np.testing.assert_array_equal(again[0], first[2])
    np.testing.assert_array_equal(first[0], first[1])
    again[0][0] = 42.0
    np.testing.assert_array_equal(fake_encoder.query(["排程"])[0], first[2])


def test_query_cache_is_bounded(fake_encoder):
    """Does the LRU cache forget the oldest entries beyond its size?"""
    fake_encoder.cache_size = 2
    fake_encoder.query(["a1"]), fake_encoder.query(["a2"]), fake_encoder.query(["a3"])
    calls = fake_encoder.calls
    fake_encoder.query(["a1"])
    assert fake_encoder.calls == calls + 1


def test_passage_reports_batch_progress(fake_encoder):
    """Is the progress callback called after each batch with (done, total)?"""
    seen = []
    out = fake_encoder.passage([f"t{i}" for i in range(5)], batch_size=2, progress=lambda d, t: seen.append((d, t)))
    assert out.shape == (5, fake_encoder.dim)
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_normalize_keeps_zero_rows_finite():
    """Does normalising an all-zero row leave zeros rather than NaN?"""
    out = normalize(np.array([[0.0, 0.0], [3.0, 4.0]]))
    np.testing.assert_allclose(out, [[0.0, 0.0], [0.6, 0.8]])
