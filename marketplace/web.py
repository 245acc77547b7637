"""View helpers: role checks, page-or-fragment rendering for htmx, pagination of selects."""
from __future__ import annotations

from functools import wraps

from flask import current_app, flash, render_template, request
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from marketplace.errors import PermissionDenied
from marketplace.states import IllegalTransition


def role_required(*roles: str):
    """Allow a view only to signed-in users acting in one of the roles (admin passes too)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles and not current_user.is_admin:
                raise PermissionDenied()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def render_page(template: str, block: str = "results", **context):
    """Render a whole page, or only its named block when htmx asks for that target."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == block:
        return render_block(template, block, **context)
    return render_template(template, **context)


def paginate(select, page_size: int | None = None):
    """Paginate a SQLAlchemy select by the ?page= argument."""
    from marketplace.extensions import db

    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(select, page=max(page, 1), per_page=page_size or current_app.config["PAGE_SIZE"],
                       error_out=False)


def perform(action, success, refusals: tuple = (IllegalTransition,)) -> bool:
    """Run a state-changing service call: commit and flash `success`, or roll back and flash the refusal."""
    from marketplace.extensions import db

    try:
        action()
    except refusals as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return False
    db.session.commit()
    flash(success() if callable(success) else success, "success")
    return True
