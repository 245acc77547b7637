"""Matching: hybrid semantic search, solutions for needs, leads for listings, explanations."""
from flask import Blueprint

bp = Blueprint("matching", __name__)

from marketplace.matching import views  # noqa: E402,F401
from marketplace.matching.engine import IndexNotReady  # noqa: E402
from marketplace.matching.unavailable import index_building  # noqa: E402

bp.app_errorhandler(IndexNotReady)(index_building)
