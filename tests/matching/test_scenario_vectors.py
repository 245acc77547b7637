"""The taxonomy's description vectors are kept, so a new worker does not encode them again (seconds per process).

Encoding the 40 MIIT descriptions costs about 9 s with e5 on two cores, and every web worker used to do it
before its first search. Both stores keep them under the encoder's identity and the descriptions: the
embedded store as a file in the index folder, the database store in a table every worker reads.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from embeddings.encoder import Encoder
from embeddings.pgbackend import PostgresBackend
from embeddings.scenarios import ScenarioModel
from marketplace import create_app
from marketplace.extensions import db
from marketplace.matching.engine import MatchingEngine
from marketplace.vocab import scenario_descriptions


class CountingEncoder(Encoder):
    """A cheap deterministic encoder that counts the texts it encodes."""

    backend = "fake"

    def __init__(self, model_id: str = "counting-1", dim: int = 16):
        super().__init__()
        self.model_id, self.dim = model_id, dim
        self.encoded = 0

    def _encode(self, texts, is_query):
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text:
                out[row, int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1.0
        return out


def test_a_model_given_its_kept_vectors_encodes_nothing_and_predicts_the_same():
    descriptions = scenario_descriptions()
    first = ScenarioModel(descriptions, CountingEncoder())
    again = CountingEncoder()
    second = ScenarioModel(descriptions, again, vectors=first.vectors.copy())
    assert first.encoded and not second.encoded and again.encoded == 0
    assert second.predict(np.ones(16, dtype=np.float32) / 4) == first.predict(np.ones(16, dtype=np.float32) / 4)


def test_vectors_of_the_wrong_shape_are_not_used():
    descriptions = scenario_descriptions()
    encoder = CountingEncoder()
    model = ScenarioModel(descriptions, encoder, vectors=np.zeros((3, 16), dtype=np.float32))
    assert model.encoded and encoder.encoded == len(descriptions)


@pytest.fixture
def engine_app(tmp_path):
    """An app on its own SQLite database and instance folder (the embedded store)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db.sqlite", "INSTANCE_PATH": str(tmp_path)})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_embedded_store_keeps_them_in_the_index_folder_for_the_next_worker(engine_app):
    first_encoder = CountingEncoder()
    first = MatchingEngine(engine_app).scenario_model(first_encoder)
    assert first_encoder.encoded == len(scenario_descriptions())
    next_encoder = CountingEncoder()
    second = MatchingEngine(engine_app).scenario_model(next_encoder)  # another process on the same folder
    assert next_encoder.encoded == 0 and not second.encoded
    assert np.array_equal(first.vectors, second.vectors)
    other = CountingEncoder(model_id="counting-2")  # another model: its own vectors, encoded
    MatchingEngine(engine_app).scenario_model(other)
    assert other.encoded == len(scenario_descriptions())


def test_an_app_on_a_new_store_in_the_same_process_takes_them_from_memory(engine_app, tmp_path):
    """Tests and the CLI open several apps in one process on the shared encoder: it encodes the descriptions once."""
    encoder = CountingEncoder()
    first = MatchingEngine(engine_app).scenario_model(encoder)
    other_app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/other.sqlite",
                            "INSTANCE_PATH": str(tmp_path / "other")})
    other = MatchingEngine(other_app)
    second = other.scenario_model(encoder)
    assert encoder.encoded == len(scenario_descriptions()) and not second.encoded
    assert np.array_equal(first.vectors, second.vectors)
    assert list(other.directory.glob("scenario-vectors-*.npy"))  # and kept in the new store for its next process


def test_damaged_kept_vectors_are_encoded_again(engine_app):
    engine = MatchingEngine(engine_app)
    engine.scenario_model(CountingEncoder())
    for path in engine.directory.glob("scenario-vectors-*.npy"):
        path.write_bytes(b"not numpy")
    encoder = CountingEncoder()
    assert MatchingEngine(engine_app).scenario_model(encoder).encoded and encoder.encoded > 0


@pytest.mark.xdist_group("pgvector-app")
def test_the_database_store_keeps_them_in_a_table_every_worker_reads(tmp_path):
    from tests.pgvector_server import fresh_database

    url = fresh_database()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "MATCHING_STORE": "postgres"})
    try:
        with app.app_context():
            first_encoder = CountingEncoder()
            backend = PostgresBackend(db.engine, first_encoder.info())
            assert backend.kept_scenario_vectors("nothing-kept") is None  # no table yet: nothing, no error
            first = MatchingEngine(app).scenario_model(first_encoder, backend)
            assert first_encoder.encoded == len(scenario_descriptions())
            next_encoder = CountingEncoder()
            second = MatchingEngine(app).scenario_model(next_encoder, PostgresBackend(db.engine, next_encoder.info()))
            assert next_encoder.encoded == 0 and np.array_equal(first.vectors, second.vectors)
            assert not list(MatchingEngine(app).directory.glob("scenario-vectors-*"))  # no file beside the rows
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_preloading_master_loads_the_encoders_and_kept_vectors_but_runs_no_model(engine_app, monkeypatch):
    """gunicorn's master prepares before it forks: a model run there would leave the workers a dead thread pool."""
    from embeddings.encoder import load_encoder
    from embeddings.scenarios import vectors_key

    engine = MatchingEngine(engine_app)
    encoder = load_encoder(engine.backend, engine.model_path)
    kept = np.random.default_rng(1).standard_normal((len(scenario_descriptions()), encoder.dim)).astype(np.float32)
    engine.directory.mkdir(parents=True, exist_ok=True)
    np.save(engine.directory / f"scenario-vectors-{vectors_key(scenario_descriptions(), encoder)}.npy", kept)
    runs = []
    monkeypatch.setattr(Encoder, "_run", lambda self, texts, is_query: runs.append(texts))
    engine.prepare()
    assert runs == []
    assert engine._scenarios is not None and not engine._scenarios.encoded
    assert np.array_equal(engine._scenarios.vectors, kept)
