"""Resonance: 模数共振 agreements, the revenue-sharing ledger, statements and demonstration selection."""
from flask import Blueprint

bp = Blueprint("resonance", __name__)

from marketplace.resonance import views  # noqa: E402,F401
