"""The served app: `gunicorn marketplace.wsgi:app` (and `make run`).

Each worker process that imports this module loads its search index and warms the encoder before it takes
its first request, so the first search after a restart is as fast as the tenth. When no usable index is
saved, the worker starts building it in the background and serves at once (search says "being built").
"""
from __future__ import annotations

from marketplace import create_app

app = create_app()
if app.config.get("MATCHING_WARM_ON_START"):
    app.extensions["matching"].warm()
