"""JSON API v1: read access to every registered kind (`marketplace.kinds`) and search; machine-readable errors."""
from flask import Blueprint

bp = Blueprint("api", __name__)

from marketplace.api import views  # noqa: E402,F401
