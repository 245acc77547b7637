"""Matching fixtures: a seeded, migrated database with a real index built once per module."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db
from seed.loader import load


@pytest.fixture(scope="package")
def seeded(tmp_path_factory):
    """An app on its own SQLite file holding the full seed, with the search index built."""
    folder = tmp_path_factory.mktemp("matching")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/seeded.sqlite",
                      "INSTANCE_PATH": str(folder)})
    keys: dict = {}
    with app.app_context():
        upgrade(revision="heads")
        load(keys=keys)
        db.session.commit()
        ids = {key: (type(record).__name__, record.id) for key, record in keys.items()}
        app.extensions["matching"].ensure_index()
    yield SimpleNamespace(app=app, ids=ids, folder=folder)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
