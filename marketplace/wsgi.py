"""The served app: `gunicorn marketplace.wsgi:app` (the Procfile's `web`, and `make run`).

A production start (MARKETPLACE_ENV unset or "production") is refused, with every missing piece named,
unless the settings, the database schema and the search index are ready (`marketplace/config_check.py`).

Warming up: the encoders, the tokenizer's dictionary and the kept scenario vectors are loaded once here
(`prepare`). Under gunicorn with `gunicorn.conf.py` (preload) that happens in the master before it forks, with
every template compiled, so every worker starts with them in memory it shares with the others, and each worker
then warms itself (`warm_worker`, the config's post-fork hooks) before it takes its first request. Served any
other way (one process: `flask run`), the process warms at once. So the first search after a restart is as fast
as the tenth. When no usable index is saved (development), the worker starts building it in the background and
serves at once (search says "being built").
"""
from __future__ import annotations

import os

from marketplace import create_app
from marketplace.config_check import is_production, require_production_ready
from marketplace.templating import compile_templates

PRELOADED = "MARKETPLACE_PRELOADED"
"""Set by `gunicorn.conf.py` in the master: the workers warm themselves after the fork."""

app = create_app()
if is_production(app):
    require_production_ready(app)
preloaded = bool(os.environ.get(PRELOADED))
if app.config.get("MATCHING_WARM_ON_START"):
    app.extensions["matching"].prepare()
    if not preloaded:
        app.extensions["matching"].warm()
if preloaded:
    compile_templates(app)


def after_fork() -> None:
    """In a freshly forked worker: drop the database connections inherited from the master (they belong to it)."""
    from marketplace.extensions import db

    with app.app_context():
        db.engine.dispose(close=False)


def warm_worker() -> None:
    """In a worker, before its first request: open the index and run one search through the models."""
    if app.config.get("MATCHING_WARM_ON_START"):
        app.extensions["matching"].warm()
