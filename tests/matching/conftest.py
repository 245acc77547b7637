"""Matching fixtures: the full seed with its real search index, built once per test session.

Loading the seed and encoding every document is the slowest set-up of the suite, so it happens once:
into a template folder shared by every pytest-xdist worker (the first to get the lock builds it, the
others wait and reuse it). Each worker then serves its own copy of the database and the saved index, so
tests that delist or edit listings never disturb another worker.
"""
from __future__ import annotations

import json
import os
import shutil
from types import SimpleNamespace

import pytest
from filelock import FileLock
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db
from seed.loader import load
from tests.conftest import ServerLikeClient

READY = "ready.json"


def build_seeded(folder) -> dict:
    """Migrate a database in the folder, load the seed, build the index there; return the records' ids by key."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/seeded.sqlite", "INSTANCE_PATH": str(folder)})
    keys: dict = {}
    with app.app_context():
        upgrade(revision="heads")
        load(keys=keys)
        db.session.commit()
        ids = {key: (type(record).__name__, record.id) for key, record in keys.items()}
        app.extensions["matching"].ensure_index()
        db.session.remove()
        db.engine.dispose()
    return ids


def pytest_collection_modifyitems(config, items):
    """Group the tests on the seeded app, so that under `--dist loadgroup` one worker runs them all."""
    for item in items:
        if "seeded" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("seeded"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """The folder holding the seeded database and its saved index, built by the first worker that needs it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder = shared / "seeded-template"
    folder.mkdir(exist_ok=True)
    with FileLock(str(shared / "seeded-template.lock")):
        if not (folder / READY).exists():
            ids = build_seeded(folder)
            (folder / READY).write_text(json.dumps(ids), encoding="utf-8")
    ids = {key: tuple(value) for key, value in json.loads((folder / READY).read_text(encoding="utf-8")).items()}
    return SimpleNamespace(folder=folder, ids=ids)


@pytest.fixture(scope="session")
def seeded(seeded_template, tmp_path_factory):
    """An app on this worker's copy of the seeded database, serving the saved index (loaded, never rebuilt)."""
    folder = tmp_path_factory.mktemp("matching")
    shutil.copyfile(seeded_template.folder / "seeded.sqlite", folder / "seeded.sqlite")
    shutil.copytree(seeded_template.folder / "index", folder / "index")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/seeded.sqlite", "INSTANCE_PATH": str(folder)})
    app.test_client_class = ServerLikeClient
    yield SimpleNamespace(app=app, ids=seeded_template.ids, folder=folder)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

