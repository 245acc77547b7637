"""Fixtures for the embeddings tests: the labelled sample set, offline model loading, a fake encoder.

Each real model is loaded at most once per session, with the network blocked and the hub disabled,
through `load_encoder` (so code under test that calls `load_encoder` gets the same instance).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import socket
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoder import Encoder, bundled_minilm_path, load_encoder
from embeddings.hybrid import HybridIndex

DATA = Path(__file__).parent / "data"


class NetworkBlocked(RuntimeError):
    """Raised by any attempt to open a network connection during a test."""


@contextlib.contextmanager
def network_blocked():
    """Make every internet socket, connection and DNS lookup raise while the block is active."""
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, *args, **kwargs):
            if family in (socket.AF_INET, socket.AF_INET6, -1):
                raise NetworkBlocked("network access attempted")
            super().__init__(family, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise NetworkBlocked("network access attempted")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        mp.setattr(socket, "socket", GuardedSocket)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture
def no_network():
    """Block the network for one test."""
    with network_blocked():
        yield


def _load_offline(backend: str, model_path: str | None = None) -> Encoder:
    """Load a backend once per session with the network blocked."""
    with network_blocked():
        return load_encoder(backend, model_path)


@pytest.fixture(scope="session")
def e5() -> Encoder:
    """The default multilingual-e5 encoder."""
    return _load_offline("e5")


@pytest.fixture(scope="session")
def use_encoder() -> Encoder:
    """The Universal Sentence Encoder backend."""
    return _load_offline("use")


@pytest.fixture(scope="session")
def minilm() -> Encoder:
    """The sentence-transformers backend on the bundled MiniLM directory."""
    return _load_offline("sentence-transformers", bundled_minilm_path())


def _read_jsonl(name: str) -> list[dict]:
    """Rows of a JSON-lines file in the data folder."""
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    """The hand-written sample listings: id, scenario, text."""
    return _read_jsonl("corpus.jsonl")


@pytest.fixture(scope="session")
def queries() -> list[dict]:
    """The labelled sample queries: id, scenario, text, relevant {doc: grade}."""
    return _read_jsonl("queries.jsonl")


@pytest.fixture(scope="session")
def scenario_texts() -> dict[str, str]:
    """Scenario code → description, as the app passes them from its taxonomy."""
    return json.loads((DATA / "scenarios.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_vectors(e5, corpus) -> np.ndarray:
    """Passage vectors of the sample corpus, encoded once."""
    return e5.passage([row["text"] for row in corpus])


@pytest.fixture
def sample_index(e5, corpus, corpus_vectors, tmp_path) -> HybridIndex:
    """A fresh HybridIndex over the sample corpus in a temporary directory."""
    index = HybridIndex(e5, tmp_path / "index")
    index.upsert_many(corpus, vectors=corpus_vectors)
    return index


class FakeEncoder(Encoder):
    """Deterministic bag-of-characters hashing encoder for tests that need no semantics."""

    backend = "fake"

    def __init__(self, dim: int = 64, model_id: str = "fake-1"):
        super().__init__()
        self.dim, self.model_id = dim, model_id
        self.calls = 0

    def _encode(self, texts, is_query):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text:
                out[row, int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1.0
            out[row, 0] += 0.01
        return out


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    """A fresh fake encoder (64 dimensions)."""
    return FakeEncoder()

