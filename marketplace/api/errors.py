"""The API's error object, `{"error": {"code", "message", "fields"}}`, with the message in the caller's language;
reading and validating a JSON body against its schema; and turning domain refusals into errors.

A domain refusal (`DomainError`) is a 422 with its reasons per field; a state that does not allow a transition
(`IllegalTransition`) is a 409; a refused permission is a 403. Nothing the caller sends answers a 5xx.
"""
from __future__ import annotations

from typing import TypeVar

from flask import jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from marketplace.errors import DomainError, PermissionDenied
from marketplace.states import IllegalTransition

M = TypeVar("M", bound=BaseModel)
WHOLE = "_"
"""The `fields` key of a reason that belongs to the whole request rather than one field."""


class ErrorDetail(BaseModel):
    """What went wrong: a stable code, a message in the caller's language, and the reasons per field."""

    code: str = Field(description="A stable, machine-readable code such as not_found or invalid.")
    message: str = Field(description="What went wrong, in the language asked for (Accept-Language).")
    fields: dict[str, list[str]] = Field(default_factory=dict,
                                         description="Reasons per request field; '_' for the whole request.")


class ErrorBody(BaseModel):
    """Every API error."""

    model_config = ConfigDict(title="Error")

    error: ErrorDetail


class ApiError(Exception):
    """An error answer from anywhere in an API view."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
        """Hold the status and the error object's parts."""
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(status: int, code: str, message: str, fields: dict[str, list[str]] | None = None):
    """Return an error answer."""
    return jsonify(error={"code": code, "message": str(message), "fields": fields or {}}), status


def domain_fields(exc: DomainError) -> dict[str, list[str]]:
    """Return a refusal's reasons by field."""
    fields: dict[str, list[str]] = {}
    for name, text in exc.reasons:
        fields.setdefault(name or WHOLE, []).append(str(text))
    return fields


PYDANTIC_MESSAGES = {
    "missing": lambda e: _("This field is required."),
    "string_too_short": lambda e: _("This field is required.") if e.get("ctx", {}).get("min_length") == 1
    else _("At least %(n)d characters.", n=e["ctx"]["min_length"]),
    "string_too_long": lambda e: _("At most %(n)d characters.", n=e["ctx"]["max_length"]),
    "too_long": lambda e: _("At most %(n)d items.", n=e["ctx"]["max_length"]),
    "too_short": lambda e: _("At least %(n)d items.", n=e["ctx"]["min_length"]),
    "greater_than_equal": lambda e: _("Must be at least %(n)s.", n=e["ctx"]["ge"]),
    "greater_than": lambda e: _("Must be more than %(n)s.", n=e["ctx"]["gt"]),
    "less_than_equal": lambda e: _("Must be at most %(n)s.", n=e["ctx"]["le"]),
    "int_parsing": lambda e: _("Give a whole number."),
    "int_type": lambda e: _("Give a whole number."),
    "int_from_float": lambda e: _("Give a whole number (amounts are in fen)."),
    "bool_type": lambda e: _("Give true or false."),
    "bool_parsing": lambda e: _("Give true or false."),
    "string_type": lambda e: _("Give text."),
    "list_type": lambda e: _("Give a list."),
    "dict_type": lambda e: _("Give an object."),
    "model_type": lambda e: _("Give an object."),
    "enum": lambda e: _("Choose one of: %(choices)s.", choices=e["ctx"]["expected"]),
    "literal_error": lambda e: _("Choose one of: %(choices)s.", choices=e["ctx"]["expected"]),
    "extra_forbidden": lambda e: _("This field is not known here."),
    "url_parsing": lambda e: _("Give a full https:// address."),
    "url_scheme": lambda e: _("Give a full https:// address."),
    "date_from_datetime_parsing": lambda e: _("Give a date as YYYY-MM-DD."),
    "date_parsing": lambda e: _("Give a date as YYYY-MM-DD."),
    "date_type": lambda e: _("Give a date as YYYY-MM-DD."),
}


def validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    """Return a schema validation failure's reasons by field (dotted paths), in the caller's language."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or WHOLE
        try:
            text = PYDANTIC_MESSAGES[error["type"]](error)
        except (KeyError, TypeError):
            text = _("This value is not valid.")
        if error["type"] == "value_error" and error.get("ctx", {}).get("error"):
            text = str(error["ctx"]["error"])
        fields.setdefault(name, []).append(str(text))
    return fields


def parse_body(model: type[M]) -> M:
    """Read the request's JSON body as a model, or raise the 400/415/422 that says what is wrong with it."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", _("Send the body as JSON (Content-Type: application/json)."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("The body is not a JSON object."))
    return validate(model, data)


def validate(model: type[M], data) -> M:
    """Validate data against a model, or raise a 422 with the reasons per field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "invalid", _("Some of the values sent are not valid."), validation_fields(exc)) from None


def has_nul(value) -> bool:
    """Tell whether a decoded JSON value holds a NUL character anywhere (PostgreSQL text cannot store one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def refuse_nul_in_json() -> None:
    """Before an API view: refuse a JSON body holding a NUL character (\\u0000) with a 400, on every database."""
    if request.is_json and request.get_data(cache=True) and has_nul(request.get_json(silent=True)):
        raise ApiError(400, "bad_request", _("The request contains characters that cannot be accepted "
                                             "(NUL bytes or text that is not UTF-8)."))


def install(bp) -> None:
    """Answer the API's errors as error objects."""
    bp.before_request(refuse_nul_in_json)

    @bp.errorhandler(ApiError)
    def api_error(exc: ApiError):
        """Answer an API error."""
        from marketplace.extensions import db

        db.session.rollback()
        return error_response(exc.status, exc.code, exc.message, exc.fields)

    @bp.errorhandler(IllegalTransition)
    def illegal_transition(exc: IllegalTransition):
        """Answer a transition the record's state does not allow with 409."""
        from marketplace.extensions import db

        db.session.rollback()
        return error_response(409, "illegal_transition", str(exc), domain_fields(exc))

    @bp.errorhandler(DomainError)
    def refused(exc: DomainError):
        """Answer a domain refusal with 422 and its reasons per field."""
        from marketplace.extensions import db

        db.session.rollback()
        return error_response(422, "refused", str(exc), domain_fields(exc))

    @bp.errorhandler(PermissionDenied)
    def denied(exc: PermissionDenied):
        """Answer a refused permission with 403."""
        from marketplace.extensions import db

        db.session.rollback()
        return error_response(403, "forbidden", str(exc) or _("You do not have permission to do that."))
