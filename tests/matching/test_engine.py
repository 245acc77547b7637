"""The index replica: rebuilt when missing or damaged, caught up when stale, reloaded by other workers."""
from __future__ import annotations

import logging

from marketplace import create_app
from marketplace.extensions import db
from marketplace.matching.documents import doc_id
from tests.factories import make_need, make_offering, make_user


def small_catalogue(app) -> dict:
    """Three offerings and a need in the database."""
    with app.app_context():
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        ids = {"aoi": make_offering(vendor, title="SMT 炉后 AOI 误报复判", tags="AOI, SMT").id,
               "air": make_offering(vendor, title="空压站群控节能", scenarios=["energy_management"]).id,
               "wms": make_offering(vendor, title="五金仓库 WMS 库位优化", scenarios=["smart_warehousing"]).id,
               "need": make_need(sme, title="冲压件毛刺视觉检测").id}
    return ids


def engine(app):
    """Return an app's matching engine."""
    return app.extensions["matching"]


def test_missing_index_is_built_from_the_database(app, caplog):
    """With no saved index, first use builds it from the database and logs that it did."""
    ids = small_catalogue(app)
    with app.app_context(), caplog.at_level(logging.WARNING, logger="marketplace.matching"):
        index = engine(app).index()
    assert set(index.ids()) == {doc_id("offering", ids[k]) for k in ("aoi", "air", "wms")} | {doc_id("need", ids["need"])}
    assert "rebuilding" in caplog.text


def test_corrupt_index_file_is_detected_and_rebuilt(app, caplog):
    """A truncated index file on disk is detected on start and the index is rebuilt."""
    small_catalogue(app)
    with app.app_context():
        engine(app).index()
        directory = engine(app).directory
    for path in directory.rglob("vector.idx"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    restarted = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "INSTANCE_PATH": app.config["INSTANCE_PATH"]})
    with restarted.app_context(), caplog.at_level(logging.WARNING, logger="marketplace.matching"):
        index = engine(restarted).index()
        assert len(index) == 4
        assert index.search("AOI 误报", k=1)[0].doc_id.startswith("offering:")
    assert "damaged" in caplog.text or "rebuilding" in caplog.text


def test_stale_index_catches_up_without_full_rebuild(app, caplog):
    """Edits committed while no index was running are applied document by document on the next start."""
    ids = small_catalogue(app)
    with app.app_context():
        engine(app).index()
    offline = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "INSTANCE_PATH": app.config["INSTANCE_PATH"]})
    with offline.app_context():
        from marketplace.catalog.models import Offering

        db.session.get(Offering, ids["wms"]).state = "delisted"
        db.session.get(Offering, ids["air"]).title = "冷站与空压站能耗托管"
        db.session.commit()
    restarted = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "INSTANCE_PATH": app.config["INSTANCE_PATH"]})
    with restarted.app_context(), caplog.at_level(logging.WARNING, logger="marketplace.matching"):
        index = engine(restarted).index()
        assert doc_id("offering", ids["wms"]) not in index
        assert index.search("冷站 能耗托管", k=1)[0].doc_id == doc_id("offering", ids["air"])
    assert "stale" in caplog.text


def test_other_worker_notices_newer_index_and_reloads(app):
    """Two workers on one index folder: an edit through one is found by the other after it reloads."""
    ids = small_catalogue(app)
    settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "INSTANCE_PATH": app.config["INSTANCE_PATH"], "MATCHING_RELOAD_INTERVAL": 0}
    first, second = create_app(settings), create_app(settings)
    with first.app_context():
        engine(first).index()
    with second.app_context():
        before = engine(second).index().version
    with first.app_context():
        from marketplace.catalog.models import Offering

        db.session.get(Offering, ids["aoi"]).title = "锂电极片涂布划痕检测"
        db.session.commit()
    with second.app_context():
        index = engine(second).index()
        assert index.version > before
        assert index.search("极片涂布划痕", k=1)[0].doc_id == doc_id("offering", ids["aoi"])


def test_bulk_changes_are_applied_off_the_request_thread(app):
    """More changes than the sync limit are applied by a background thread and all arrive."""
    app.config["MATCHING_SYNC_LIMIT"] = 2
    with app.app_context():
        vendor = make_user("vendor").organisation
        engine(app).index()
        for i in range(6):
            make_offering(vendor, title=f"批量方案{i} 注塑工艺参数优化", commit=False)
        db.session.commit()
        engine(app).wait()
        assert len(engine(app).index()) == 6


def test_rolled_back_changes_never_reach_the_index(app):
    """A transaction that fails half-way leaves the index as it was."""
    with app.app_context():
        vendor = make_user("vendor").organisation
        index = engine(app).index()
        make_offering(vendor, title="不会提交的方案", commit=False)
        db.session.rollback()
        assert len(index) == 0
        db.session.commit()
        assert len(engine(app).index()) == 0


def test_reindex_if_needed_builds_once_then_loads(app, runner):
    """`flask reindex --if-needed` builds a missing index, and the next call only loads it."""
    small_catalogue(app)
    first = runner.invoke(args=["reindex", "--if-needed"])
    assert first.exit_code == 0 and "4 documents" in first.output
    restarted = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                            "INSTANCE_PATH": app.config["INSTANCE_PATH"]})
    again = restarted.test_cli_runner().invoke(args=["reindex", "--if-needed"])
    assert again.exit_code == 0 and "version 1" in again.output


def test_a_rebuild_reuses_the_stored_vectors_and_encodes_only_changed_texts(app, monkeypatch):
    """Every encoded text is kept by content hash: an edit encodes its one new text, and a full rebuild after it
    encodes nothing at all."""
    from embeddings.hybrid import HybridIndex
    from marketplace.catalog.models import Offering

    ids = small_catalogue(app)
    with app.app_context():
        engine(app).index()
    encoded: list[str] = []
    real = HybridIndex.passage_vectors

    def counting(self, texts, progress=None):
        encoded.extend(texts)
        return real(self, texts, progress)

    monkeypatch.setattr(HybridIndex, "passage_vectors", counting)
    with app.app_context():
        db.session.get(Offering, ids["air"]).description = "空压站 群控 节能 改造 新增 露点 监测"
        db.session.commit()
        engine(app).wait()
        assert len(encoded) == 1 and "露点" in encoded[0]
        encoded.clear()
        assert engine(app).rebuild() == 4
    assert encoded == []
