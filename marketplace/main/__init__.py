"""Main pages: home, the signed-in dashboard, and the language switch."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from marketplace.main import views  # noqa: E402,F401
