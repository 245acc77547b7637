"""The search index is never built inside a request: search says "being built" (503) until it is ready.

These tests use the same encoder setup as the other matching tests (TestConfig's default, loaded once per
process by `load_encoder`) and catalogues of a few documents, so each build takes about a second.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import has_request_context

from marketplace import create_app
from marketplace.extensions import db
from marketplace.matching.documents import doc_id
from marketplace.matching.engine import BUILD_LOCK, MatchingEngine
from embeddings.fsio import exclusive_lock
from tests.factories import make_need, make_offering, make_user

ROOT = Path(__file__).resolve().parents[2]
BUILDING = "The search index is being built"


def small_catalogue(app) -> dict:
    """Two offerings and a need in the database."""
    with app.app_context():
        vendor = make_user("vendor").organisation
        sme = make_user("enterprise").organisation
        return {"aoi": make_offering(vendor, title="SMT 炉后 AOI 误报复判", tags="AOI, SMT").id,
                "air": make_offering(vendor, title="空压站群控节能", scenarios=["energy_management"]).id,
                "need": make_need(sme, title="冲压件毛刺视觉检测").id}


def sibling(app, **settings):
    """Another app (a worker or a shell) on the same database and instance folder."""
    return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "INSTANCE_PATH": app.config["INSTANCE_PATH"], **settings})


@pytest.fixture
def builds(monkeypatch):
    """Record every full build: the thread it ran on and whether it ran inside a request."""
    calls = []
    real = MatchingEngine._rebuild

    def recorded(self, progress=None):
        calls.append({"thread": threading.current_thread().name, "in_request": has_request_context()})
        return real(self, progress)

    monkeypatch.setattr(MatchingEngine, "_rebuild", recorded)
    return calls


def test_missing_index_answers_being_built_while_the_rest_of_the_site_works(app, auth, builds):
    """With no saved index, do search pages answer 503 "being built" while browsing and orders still work?"""
    app.config["MATCHING_BUILD_WAIT"] = 0
    engine = app.extensions["matching"]
    engine.build_wait = 0
    ids = small_catalogue(app)
    client = auth.client
    auth.as_role("enterprise")
    client.get("/lang/en")
    with exclusive_lock(engine.directory / BUILD_LOCK):  # another process is building: ours must wait
        page = client.get("/search?q=AOI+误报")
        assert page.status_code == 503 and page.headers["Retry-After"]
        html = page.get_data(as_text=True)
        assert BUILDING in html and 'id="results"' in html and 'name="q"' in html
        api = client.get("/api/v1/search?q=AOI")
        assert api.status_code == 503 and api.headers["Retry-After"]
        assert api.get_json()["error"]["code"] == "index_building" and BUILDING in api.get_json()["error"]["message"]
        fragment = client.get(f"/needs/{ids['need']}/solutions", headers={"HX-Request": "true"})
        assert fragment.status_code == 503 and BUILDING in fragment.get_data(as_text=True)
        assert "<html" not in fragment.get_data(as_text=True)
        similar = client.get(f"/listings/offering/{ids['aoi']}/matches")
        assert similar.status_code == 503 and BUILDING in similar.get_data(as_text=True)
        for path in ("/", "/search", "/offerings", f"/offerings/{ids['aoi']}", "/needs/", f"/needs/{ids['need']}",
                     "/orders"):
            assert client.get(path).status_code == 200, path
        assert engine.building and not builds  # the builder waits for the lock; nobody built in a request
    assert engine.wait_until_ready(120)
    found = client.get("/search?q=AOI+误报&kind=offering")
    assert found.status_code == 200 and f"/offerings/{ids['aoi']}\"" in found.get_data(as_text=True)
    assert client.get(f"/needs/{ids['need']}/solutions").status_code == 200
    assert [b["in_request"] for b in builds] == [False] and builds[0]["thread"] == "index-build"


def test_index_too_stale_to_catch_up_in_a_request_is_caught_up_in_the_background(app, builds):
    """When more documents changed than MATCHING_CATCH_UP_LIMIT, does the request say "being built" and the
    background thread catch up (without a full rebuild)?"""
    ids = small_catalogue(app)
    with app.app_context():
        app.extensions["matching"].ensure_index()
    assert len(builds) == 1
    offline = sibling(app)
    with offline.app_context():
        from marketplace.catalog.models import Offering

        db.session.get(Offering, ids["aoi"]).title = "锂电极片涂布划痕检测"
        db.session.get(Offering, ids["air"]).title = "冷站与空压站能耗托管"
        db.session.commit()
    worker = sibling(app, MATCHING_CATCH_UP_LIMIT=1, MATCHING_BUILD_WAIT=0)
    engine = worker.extensions["matching"]
    client = worker.test_client()
    with exclusive_lock(engine.directory / BUILD_LOCK):
        assert client.get("/search?q=极片涂布划痕").status_code == 503
    assert engine.wait_until_ready(120)
    page = client.get("/search?q=极片涂布划痕&kind=offering").get_data(as_text=True)
    assert f"/offerings/{ids['aoi']}\"" in page
    assert len(builds) == 1  # caught up document by document, not rebuilt


def test_a_few_changed_documents_are_caught_up_within_the_request(app, builds):
    """Is a saved index that is behind by no more than the limit loaded and caught up by the request itself?"""
    ids = small_catalogue(app)
    with app.app_context():
        app.extensions["matching"].ensure_index()
    with sibling(app).app_context():
        from marketplace.catalog.models import Offering

        db.session.get(Offering, ids["air"]).title = "冷站与空压站能耗托管"
        db.session.commit()
    worker = sibling(app, MATCHING_BUILD_WAIT=0)
    page = worker.test_client().get("/search?q=冷站+能耗托管&kind=offering")
    assert page.status_code == 200 and f"/offerings/{ids['air']}\"" in page.get_data(as_text=True)
    assert not worker.extensions["matching"].building and len(builds) == 1


def test_index_saved_under_another_vocabulary_is_rebuilt_not_served(app, builds):
    """After the scenario taxonomy changes (new names, codes and descriptions), is a saved index that was built
    under the old one treated as out of date, answered "being built" and rebuilt in the background?"""
    import json

    from marketplace.matching.engine import STAMPS_FILE

    ids = small_catalogue(app)
    with app.app_context():
        app.extensions["matching"].ensure_index()
    stamps_file = Path(app.extensions["matching"].directory) / STAMPS_FILE
    saved = json.loads(stamps_file.read_text(encoding="utf-8"))
    assert saved["vocabulary"] == app.extensions["matching"].vocabulary
    stamps_file.write_text(json.dumps({**saved, "vocabulary": "taxonomy-of-2024"}), encoding="utf-8")
    worker = sibling(app, MATCHING_BUILD_WAIT=0)
    engine = worker.extensions["matching"]
    with exclusive_lock(engine.directory / BUILD_LOCK):
        assert worker.test_client().get("/search?q=空压站").status_code == 503
    assert engine.wait_until_ready(120) and len(builds) == 2
    page = worker.test_client().get("/search?q=空压站+节能&kind=offering").get_data(as_text=True)
    assert f"/offerings/{ids['air']}\"" in page


def test_two_workers_racing_to_build_build_once(app, builds):
    """When two workers find the index missing at the same moment, does exactly one build it and the other load it?"""
    small_catalogue(app)
    engines = [sibling(app).extensions["matching"] for _ in range(2)]
    start = threading.Barrier(2)
    outcomes = []

    def run(engine):
        start.wait()
        outcomes.append(engine.ensure_index())

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(builds) == 1
    assert sorted(outcomes) == ["loaded and verified", "rebuilt"]
    with app.app_context():
        assert engines[0].index().version == engines[1].index().version


def test_two_reindex_processes_racing_build_once(app, tmp_path):
    """Do two `flask reindex --if-needed` processes started together build the index exactly once?"""
    ids = small_catalogue(app)
    env = dict(os.environ, MARKETPLACE_ENV="development", DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               MARKETPLACE_INSTANCE_PATH=app.config["INSTANCE_PATH"])
    flask = [sys.executable, "-m", "flask", "--app", "marketplace", "reindex", "--if-needed"]
    runs = [subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in runs]
    assert all(p.returncode == 0 for p in runs), outputs
    assert sum("Search index rebuilt" in out for out in outputs) == 1, outputs
    assert sum("Search index loaded and verified" in out for out in outputs) == 1, outputs
    with app.app_context():
        assert doc_id("offering", ids["aoi"]) in app.extensions["matching"].index()
