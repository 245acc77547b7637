"""End-to-end fixtures: the app served on a loopback port with CSRF on, and Debian's Chromium via Playwright."""
from __future__ import annotations

import shutil
import threading
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.extensions import db
from tests.factories import make_user

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as end-to-end."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Serve a freshly migrated app (CSRF enabled, as in production) on 127.0.0.1 and a free port, its search index
    built before the first request as in production."""
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/e2e.sqlite", "INSTANCE_PATH": str(folder),
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade(revision="heads")
    app.extensions["matching"].ensure_index()  # as `make run` and a deployment do: no page waits for a build
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser), launched once per session."""
    assert shutil.which("chromium") or __import__("os").path.exists(CHROMIUM), \
        "Debian's chromium is missing: `make test` installs it with apt"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def make_account(live_server):
    """Create a user of a role in the live server's database and return its e-mail."""

    def make(role: str, **org_fields) -> str:
        with live_server.app.app_context():
            return make_user(role, **org_fields).email

    return make
