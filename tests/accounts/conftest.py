"""Account fixtures: an app with rate limiting switched on (TestConfig switches it off)."""
from __future__ import annotations

import pytest

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import empty_tables


@pytest.fixture
def make_app(database_uri, tmp_path):
    """Build apps on the test database with extra settings; their rows are deleted afterwards."""
    made = []

    def build(**settings):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance"),
                          **settings})
        made.append(app)
        return app

    yield build
    for app in made[:1]:
        with app.app_context():
            empty_tables()
            db.session.remove()


@pytest.fixture
def limited_app(make_app):
    """An app with Flask-Limiter on (fresh in-memory storage) and a generous per-client login limit."""
    return make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="1000 per minute")
