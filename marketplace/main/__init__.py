"""Main pages: home, the signed-in dashboard, and the language switch."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from marketplace.main import permissions  # noqa: E402,F401  (registers the navigation's rules)
from marketplace.main import views  # noqa: E402,F401
from marketplace.main.navigation import install as install_navigation  # noqa: E402

bp.record_once(lambda state: install_navigation(state.app))
