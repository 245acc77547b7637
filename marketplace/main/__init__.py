"""Main pages: home, the signed-in dashboard, and the language switch.

The blueprint also installs two request-wide guards when it is registered (it is registered first):
the bounded `int` URL converter and the hook that refuses NUL bytes and invalid UTF-8 before any view.
"""
from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.record_once
def install_guards(state) -> None:
    """Install the bounded `int` converter and the hostile-input guard on the app."""
    from marketplace.converters import install
    from marketplace.web import refuse_hostile_input

    install(state.app.url_map)
    state.app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)


from marketplace.main import views  # noqa: E402,F401
