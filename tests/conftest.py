"""Shared fixtures: a migrated database per session (SQLite, or PostgreSQL with TEST_DB_BACKEND=postgres),
emptied after every test; the app, a client and an `auth` helper that signs in as a role."""
from __future__ import annotations

import os
import weakref
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import Rule

from marketplace import create_app
from marketplace.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user


@event.listens_for(Engine, "connect")
def unsynced_sqlite(dbapi_connection, _record) -> None:
    """Test databases are thrown away, so SQLite need not wait for the disk at every commit."""
    if type(dbapi_connection).__module__.split(".")[0] in ("sqlite3", "pysqlite2"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.close()


def defer_url_builders() -> None:
    """Compile each URL rule's builder when it first builds a URL, not for every rule of every test app.

    Compiling the builders of all the app's rules is most of what `create_app` costs, and the suite
    creates an app per test while each test builds only a few kinds of URL; the builders are the same.
    """
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "deferred", False):
        return

    def deferred(self, append_unknown: bool = True):
        def build(rule, **values):
            real = compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, "_build_unknown" if append_unknown else "_build", real)
            return real(**values)

        return build

    deferred.deferred = True
    Rule._compile_builder = deferred


defer_url_builders()

ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Every engine that has opened a connection, so each test's pooled connections can be closed when it ends."""


@event.listens_for(Engine, "engine_connect")
def remember_engine(connection) -> None:
    """Note the engine behind a new connection."""
    ENGINES.add(connection.engine)


@pytest.fixture(autouse=True)
def close_pooled_connections():
    """After each test, close the connections every engine keeps in its pool.

    Each test creates its own app, so its own engine and pool; left to the garbage collector, their idle
    connections pile up faster than it frees them and PostgreSQL runs out of connection slots.
    """
    yield
    for engine in list(ENGINES):
        engine.dispose()


ARTIFACTS = Path(os.environ.get("MARKETPLACE_ARTIFACTS", Path(__file__).resolve().parent.parent / "artifacts"))
SHOTS = ARTIFACTS / "screenshots"
"""Where the layout test keeps each role's first page at both widths and languages, for a person reading a CI log."""


def pytest_terminal_summary(terminalreporter):
    """Say where the layout test kept its screenshots, so a CI log points at them."""
    shots = sorted(SHOTS.glob("*.png")) if SHOTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"Screenshots kept for review: {len(shots)} pages in {SHOTS} "
                                    f"({', '.join(p.name for p in shots[:4])}, ...)")


def pytest_report_header(config):
    """Say which database the app tests run on."""
    return f"database backend: {os.environ.get('TEST_DB_BACKEND', 'sqlite')}"


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    """Create the test database once per session by running the migrations (never create_all)."""
    if os.environ.get("TEST_DB_BACKEND") == "postgres":
        uri = os.environ["TEST_DATABASE_URL"]
    else:
        uri = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))})
    with app.app_context():
        if uri.startswith("postgresql"):
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
    return uri


def empty_tables() -> None:
    """Delete every row so the next test starts from an empty database.

    The ledger tables refuse DELETE through triggers; PostgreSQL's TRUNCATE does not fire them, and on
    SQLite the triggers are dropped for the purge and recreated from their stored definitions.
    """
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(db.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()
        return
    triggers = db.session.execute(db.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    existing = set(db.session.scalars(db.text("SELECT name FROM sqlite_master WHERE type = 'table'")))
    for name, _sql in triggers:
        db.session.execute(db.text(f'DROP TRIGGER "{name}"'))
    for table in reversed(db.metadata.sorted_tables):
        if table.name in existing:
            db.session.execute(table.delete())
    for _name, sql in triggers:
        db.session.execute(db.text(sql))
    db.session.commit()


@pytest.fixture
def app(database_uri, tmp_path):
    """An app bound to the session database, with the default policy instruments; rows are deleted after the test."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "INSTANCE_PATH": str(tmp_path / "instance")})
    with app.app_context():
        from marketplace.policy.rules import install_default_instruments

        install_default_instruments()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        empty_tables()
        db.session.remove()


class ServerLikeClient(FlaskClient):
    """A test client that reads and closes every response, as a WSGI server does (so work an app defers to
    `response.call_on_close`, such as logging a search, has happened when the call returns)."""

    def open(self, *args, **kwargs):
        """Send the request with the response buffered, which closes it."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client for the app."""
    app.test_client_class = ServerLikeClient
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's flask commands."""
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real login form."""

    def __init__(self, app, client):
        """Remember the app and client to act through."""
        self.app, self.client = app, client

    def login(self, email: str, password: str = DEFAULT_PASSWORD):
        """Post the login form."""
        return self.client.post("/accounts/login", data={"email": email, "password": password})

    def logout(self):
        """Post the logout form."""
        return self.client.post("/accounts/logout")

    def as_role(self, role: str, **org_fields) -> SimpleNamespace:
        """Create a user acting in a role (enterprise, vendor, center, admin) and sign in as them."""
        with self.app.app_context():
            user = make_user(role, **org_fields)
            who = SimpleNamespace(user_id=user.id, org_id=user.organisation_id, email=user.email, role=role)
        response = self.login(who.email)
        assert response.status_code == 302, response.data[:500]
        return who


@pytest.fixture
def auth(app, client):
    """The sign-in helper."""
    return AuthActions(app, client)


NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
"""The moment `frozen_clock` travels to: midday UTC, so the local date is the same in every nearby time zone."""


@pytest.fixture
def frozen_clock(time_machine) -> datetime:
    """Travel to NOW (the clock ticks on from there), so a test never depends on today's date or year."""
    time_machine.move_to(NOW, tick=True)
    return NOW


@pytest.fixture
def in_app(app):
    """Run the test body inside an app context (for service-level tests that use no client)."""
    with app.app_context():
        yield app


ROOT = Path(__file__).resolve().parent.parent
