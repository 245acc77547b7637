"""Error pages in the user's language, and machine-readable JSON errors under /api."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class PermissionDenied(Exception):
    """Raised by services when the acting user may not do what they asked."""


class DomainError(ValueError):
    """A refusal the user can act on, from any service: one or more (field, message) reasons.

    `field` names the form field the reason belongs to (None: the whole request). Views never pick
    refusals apart: `marketplace.web.show_refusal` puts them on the form, `perform` flashes them, and the
    API answers them as a 422 with the reasons.
    """

    def __init__(self, message: str | None = None, field: str | None = None,
                 reasons: list[tuple[str | None, str]] | None = None):
        """Hold one reason (message, field) or several (reasons)."""
        self.reasons: list[tuple[str | None, str]] = list(reasons or [])
        if message is not None:
            self.reasons.insert(0, (field, str(message)))
        self.field = self.reasons[0][0] if self.reasons else None
        super().__init__(" ".join(text for _field, text in self.reasons))


def wants_json() -> bool:
    """Tell whether the client should get JSON errors (API routes)."""
    return request.path.startswith("/api/")


MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to do that."),
    404: lambda: _("We could not find that page."),
    401: lambda: _("Please sign in to continue."),
    405: lambda: _("That method is not allowed here."),
    413: lambda: _("The upload is too large."),
    422: lambda: _("Some of the values sent are not valid."),
    429: lambda: _("Too many attempts. Please wait a minute and try again."),
    500: lambda: _("Something went wrong on our side. Nothing was saved."),
}

CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 422: "invalid", 429: "rate_limited", 500: "server_error"}


def render_error(status: int, message: str | None = None):
    """Render an error as a page or JSON with the given status."""
    message = message or MESSAGES.get(status, MESSAGES[500])()
    if wants_json():
        return jsonify(error={"code": CODES.get(status, "error"), "message": message, "fields": {}}), status
    return render_template("errors/error.html", status=status, message=message), status


def install(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(PermissionDenied)
    def permission_denied(exc):
        """Answer a refused action with 403."""
        return render_error(403, str(exc) or None)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        """Answer a missing or stale CSRF token with a clear 400."""
        return render_error(400, _("Your form expired. Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        """Answer HTTP errors with a page in the user's language."""
        return render_error(exc.code or 500)

    @app.errorhandler(500)
    def server_error(exc):
        """Answer unexpected failures without leaking details."""
        from marketplace.extensions import db

        db.session.rollback()
        return render_error(500)
