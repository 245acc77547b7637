"""The API's description: the OpenAPI document, and a browsable reference page built on Swagger UI, whose
assets come from the pinned `swagger-ui-py` package (served from this site, never from a CDN)."""
from __future__ import annotations

from pathlib import Path

import swagger_ui
from flask import abort, jsonify, render_template, send_from_directory

from marketplace.api import bp
from marketplace.api.spec import openapi_document

SWAGGER_STATIC = Path(swagger_ui.__file__).parent / "static"
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})


@bp.route("/openapi.json")
def openapi_json():
    """Serve the OpenAPI 3.1 document of this API."""
    return jsonify(openapi_document())


@bp.route("/reference")
def reference():
    """Show the browsable API reference."""
    return render_template("api/reference.html")


@bp.route("/reference/assets/<name>")
def reference_asset(name: str):
    """Serve one of Swagger UI's two files from the installed package."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_STATIC, name, max_age=86400)
