"""Who may do what: every "may this user do X (to this record)" is one named rule here.

Views (`permission_required` or `require`), services (`require`), processes (each transition names its
permission) and templates (`{% if current_user is permitted "order.refund", order %}` or the `can` global)
all ask the same rule, so changing who may refund an order is one line. What an admin may do is decided
here too: only where a rule says so.

Rules answer for the *user and record*; whether the record's *state* allows the action is its process's
business (see `marketplace.process`).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeGuard, TypeVar

from flask import Flask
from flask_login import current_user
from werkzeug.wrappers import Response

from marketplace.errors import PermissionDenied

if TYPE_CHECKING:
    from marketplace.accounts.models import User

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M")


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a permission rule under a name such as "order.refund"."""

    def register(check: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"permission {name!r} is defined twice")
        RULES[name] = check
        return check

    return register


def signed_in(user: object) -> TypeGuard[User]:
    """Tell whether the user is a signed-in, active account."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def member_of(user: object, org_id: int | None) -> bool:
    """Tell whether a signed-in user acts for the organisation with that id."""
    return signed_in(user) and org_id is not None and user.organisation_id == org_id


def acts_as(user: object, kind: str) -> bool:
    """Tell whether a signed-in, non-admin user acts for an organisation of a kind (enterprise, vendor, center)."""
    return signed_in(user) and not user.is_admin and user.organisation.kind == kind


def oversees(user: object) -> bool:
    """Promotion centers and admins see every order, agreement and statement."""
    return signed_in(user) and (user.is_admin or user.organisation.is_center)


def can(user: object, name: str, record: Any = None) -> bool:
    """Answer whether the user may do the named thing (to the record)."""
    try:
        check = RULES[name]
    except KeyError:
        raise KeyError(f"no permission named {name!r}") from None
    return bool(check(user, record))


def require(user: object, name: str, record: Any = None) -> None:
    """Raise PermissionDenied unless the user may do the named thing."""
    if not can(user, name, record):
        raise PermissionDenied()


def permitted_or_404(model: type[M], record_id: int, name: str, of: Callable[[M], Any] | None = None) -> M:
    """Return the record if the current user holds permission `name` on it (or on `of(record)`, e.g. its
    organisation), else answer 404: a record someone may not see does not exist for them. Views use this, never
    their own copy of the rule."""
    from flask import abort

    from marketplace.extensions import db

    record = db.session.get(model, record_id)
    if record is None or not can(current_user, name, of(record) if of is not None else record):
        abort(404)
    return record


def permission_required(name: str) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """View decorator: refuse (403, or the sign-in page for visitors) unless the current user has a
    record-free permission."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            if not signed_in(current_user):
                from marketplace.extensions import login_manager

                sign_in: Response = login_manager.unauthorized()  # a redirect: the app sets login_view
                return sign_in
            require(current_user, name)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def install(app: Flask) -> None:
    """Let templates ask `user is permitted(name, record)` and call `can(name, record)` for the current user."""
    import marketplace.cases.permissions  # noqa: F401  (registers the rules)
    import marketplace.catalog.permissions  # noqa: F401
    import marketplace.datasets.permissions  # noqa: F401
    import marketplace.diagnosis.permissions  # noqa: F401
    import marketplace.events.permissions  # noqa: F401
    import marketplace.experts.permissions  # noqa: F401
    import marketplace.imports.permissions  # noqa: F401
    import marketplace.leads.permissions  # noqa: F401
    import marketplace.main.permissions  # noqa: F401
    import marketplace.moderation.permissions  # noqa: F401
    import marketplace.needs.permissions  # noqa: F401
    import marketplace.orders.permissions  # noqa: F401
    import marketplace.policy.permissions  # noqa: F401
    import marketplace.proposals.permissions  # noqa: F401
    import marketplace.redemptions.permissions  # noqa: F401
    import marketplace.resonance.permissions  # noqa: F401
    import marketplace.reviews.permissions  # noqa: F401
    import marketplace.trust.permissions  # noqa: F401
    import marketplace.vouchers.permissions  # noqa: F401
    import marketplace.webhooks.permissions  # noqa: F401

    app.jinja_env.tests["permitted"] = lambda user, name, record=None: can(user, name, record)
    app.jinja_env.globals["can"] = lambda name, record=None: can(current_user, name, record)
