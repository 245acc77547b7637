"""The database index (MATCHING_STORE=postgres): rows in PostgreSQL with pgvector, shared by every worker.

Runs the app on a real PostgreSQL with pgvector (`tests/pgvector_server.py`), migrated like production.
"""
from __future__ import annotations

import pytest
from flask_migrate import upgrade

from embeddings.hybrid import HybridIndex
from embeddings.pgbackend import PostgresBackend
from marketplace import create_app
from marketplace.catalog.models import Offering
from marketplace.extensions import db
from marketplace.matching import services
from marketplace.matching.documents import doc_id
from tests.factories import make_need, make_offering, make_user
from tests.pgvector_server import fresh_database

pytestmark = pytest.mark.xdist_group("pgvector-app")


def make_app(url, tmp_path):
    """An app on the pgvector database with the database index."""
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                       "MATCHING_STORE": "postgres"})


@pytest.fixture
def pg_app(tmp_path):
    """A migrated app on a fresh pgvector database, with a small catalogue and its index written."""
    url = fresh_database()
    app = make_app(url, tmp_path)
    with app.app_context():
        upgrade(revision="heads")
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        ids = {"aoi": make_offering(vendor, title="SMT 炉后 AOI 误报复判", tags="AOI, SMT").id,
               "air": make_offering(vendor, title="空压站群控节能", scenarios=["energy_management"]).id,
               "draft": make_offering(vendor, title="AOI 视觉质检 草稿", state="draft").id,
               "need": make_need(sme, title="冲压件毛刺视觉检测").id}
        app.extensions["matching"].ensure_index()
    yield app, ids, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_web_worker_holds_no_index_and_searches_the_rows(pg_app):
    app, ids, _ = pg_app
    with app.test_request_context():
        index = app.extensions["matching"].index()
        assert isinstance(index.backend, PostgresBackend)
        assert sorted(index.ids()) == sorted([doc_id("offering", ids["aoi"]), doc_id("offering", ids["air"]),
                                              doc_id("need", ids["need"])])
        found = services.search("AOI 误报", {"kind": "offering"}, make_user("enterprise"))
    assert [m.record.id for m in found.matches][:1] == [ids["aoi"]]
    assert ids["draft"] not in {m.record.id for m in found.matches}


def test_an_edit_is_found_by_another_worker_without_any_reload(pg_app, tmp_path):
    app, ids, url = pg_app
    other = make_app(url, tmp_path / "other")  # a second worker process's app: its own engine, nothing shared

    def shared_terms():
        with other.test_request_context():
            found = services.search("AGV 调度 路径规划", {"kind": "offering"}, make_user("enterprise"))
        return {m.record.id: set(m.terms) for m in found.matches}

    assert "agv" not in shared_terms().get(ids["air"], set())
    with app.app_context():
        offering = db.session.get(Offering, ids["air"])
        offering.title = "仓库 AGV 调度与路径规划"
        offering.description = "五金仓库 AGV 小车 调度 路径规划 库位优化"
        db.session.commit()
        app.extensions["matching"].wait()
    assert "agv" in shared_terms()[ids["air"]]


def test_a_rebuild_encodes_nothing_that_did_not_change(pg_app, monkeypatch):
    app, ids, _ = pg_app

    def refuse(self, texts, progress=None):
        raise AssertionError(f"encoded {len(texts)} texts again")

    monkeypatch.setattr(HybridIndex, "passage_vectors", refuse)
    with app.app_context():
        assert app.extensions["matching"].rebuild() == 3
        index = app.extensions["matching"].index()
        assert len(index) == 3


def test_a_published_draft_is_indexed_and_an_unpublished_listing_leaves(pg_app):
    app, ids, _ = pg_app
    with app.app_context():
        db.session.get(Offering, ids["draft"]).state = "published"
        db.session.get(Offering, ids["aoi"]).state = "draft"
        db.session.commit()
        app.extensions["matching"].wait()
        index = app.extensions["matching"].index()
        assert doc_id("offering", ids["draft"]) in index
        assert doc_id("offering", ids["aoi"]) not in index


def test_preparing_another_encoder_fills_its_own_space_through_the_job_queue(pg_app):
    """`flask reindex --queue --encoder use`: the workers (here in-process) encode every document for the USE
    space and write its rows, while the served e5 rows stay as they were."""
    app, ids, _ = pg_app
    with app.app_context():
        served = app.extensions["matching"].index()
        before = served.backend.stamps()
    result = app.test_cli_runner().invoke(args=["reindex", "--queue", "--encoder", "use"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 batches (3 documents)" in result.output
    with app.app_context():
        engine = app.extensions["matching"]
        use_rows = PostgresBackend(db.engine, engine._new_index("use").encoder.info())
        assert sorted(use_rows.ids()) == sorted(before)
        assert served.backend.stamps() == before
        assert engine.encode_batch(sorted(before), "use") == 0  # stored: nothing is encoded twice
