"""The served app: `gunicorn marketplace.wsgi:app` (the Procfile's `web`, and `make run`).

A production start (MARKETPLACE_ENV unset or "production") is refused, with every missing piece named,
unless the settings, the database schema and the search index are ready (`marketplace/config_check.py`).
Each worker process that imports this module then loads its search index and warms the encoder before
it takes its first request, so the first search after a restart is as fast as the tenth. When no usable
index is saved (development), the worker starts building it in the background and serves at once
(search says "being built").
"""
from __future__ import annotations

from marketplace import create_app
from marketplace.config_check import is_production, require_production_ready

app = create_app()
if is_production(app):
    require_production_ready(app)
if app.config.get("MATCHING_WARM_ON_START"):
    app.extensions["matching"].warm()
