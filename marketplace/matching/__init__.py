"""Matching: hybrid semantic search, solutions for needs, leads for listings, explanations."""
from flask import Blueprint

bp = Blueprint("matching", __name__)

from marketplace.matching import views  # noqa: E402,F401
