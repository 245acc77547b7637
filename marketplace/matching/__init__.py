"""Matching: hybrid semantic search, solutions for needs, leads for listings, explanations."""
from flask import Blueprint

bp = Blueprint("matching", __name__)

from marketplace.kinds import install as install_kinds  # noqa: E402
from marketplace.matching import views  # noqa: E402,F401
from marketplace.matching.engine import IndexNotReady  # noqa: E402
from marketplace.matching.unavailable import index_building  # noqa: E402

bp.app_errorhandler(IndexNotReady)(index_building)
bp.record_once(lambda state: install_kinds(state.app))
