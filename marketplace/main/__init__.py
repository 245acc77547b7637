"""Main pages: home, the signed-in dashboard, and the language switch; the navigation's per-request figures."""
from flask import Blueprint

bp = Blueprint("main", __name__)

# The blueprint must exist before its views import it.
from marketplace.main import permissions, views  # noqa: E402,F401  (permissions registers the navigation's rules)
from marketplace.main.navigation import install as install_navigation  # noqa: E402

bp.record_once(lambda state: install_navigation(state.app))
