"""The OpenAPI 3.1 document, generated from the code: each API view declares its operation once with
`@operation` (summary, scope, query, body and response schemas as pydantic models, the errors it can answer),
and `openapi_document` walks the app's URL map to build the document from those declarations.

The same declaration enforces the operation's rules for the caller before the view runs: signed in (by token or
session) where the operation needs it, and the token's scope. What the user may do to which record is still
asked of the permission module inside the services. A view without a declaration is not part of the API.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Literal

from flask import current_app, g
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from marketplace.api.errors import ApiError, ErrorBody

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Body:
    """A response or request body that is not JSON: its media type and the schema of its content."""

    media_type: str
    schema: dict


@dataclass(frozen=True)
class Operation:
    """What one API view declares: how it appears in the document, and who may call it."""

    summary: str
    scope: str
    tags: tuple[str, ...]
    responses: dict[int, type[BaseModel] | Body | tuple[type[BaseModel] | Body, ...] | None]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | Body | None = None
    errors: tuple[int, ...] = ()
    public: bool = False
    description: str = ""
    path_params: dict[str, Callable[[], dict]] = field(default_factory=dict)
    headers: dict[str, dict] = field(default_factory=dict)


def operation(summary: str, *, scope: str = "read", tags: tuple[str, ...] = (),
              responses: dict[int, Any] | None = None, query: type[BaseModel] | None = None,
              body: type[BaseModel] | Body | None = None, errors: tuple[int, ...] = (), public: bool = False,
              description: str = "", path_params: dict[str, Callable[[], dict]] | None = None,
              headers: dict[str, dict] | None = None):
    """Declare a view as an API operation: documented, and guarded by sign-in and the token's scope.

    `public` operations answer visitors too (what a visitor may read is still the kind's rule); the others
    need a signed-in caller. A token must carry `scope`; a browser session carries every scope its user has.
    """
    declared = Operation(summary=summary, scope=scope, tags=tags, responses=responses or {200: None},
                         query=query, body=body, errors=errors, public=public, description=description,
                         path_params=path_params or {}, headers=headers or {})

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            check_caller(declared)
            return view(*args, **kwargs)

        guarded.api_operation = declared  # type: ignore[attr-defined]
        return guarded

    return decorate


def check_caller(declared: Operation) -> None:
    """Refuse a caller the operation does not admit: 401 without sign-in, 403 for a token without the scope."""
    if not declared.public and not current_user.is_authenticated:
        raise ApiError(401, "unauthenticated", _("Sign in, or send an API token as \"Authorization: Bearer …\"."))
    token = g.get("api_token")
    if token is not None and declared.scope and declared.scope not in token.scope_list:
        raise ApiError(403, "insufficient_scope",
                       _("This token lacks the %(scope)s scope this call needs.", scope=declared.scope))


PATH_PARAM = re.compile(r"<(?:(?P<converter>[a-zA-Z_]+)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")


def openapi_path(rule: str) -> tuple[str, list[tuple[str, str]]]:
    """Turn a Flask rule into an OpenAPI path; return it and its (name, converter) parameters in order."""
    params = [(m.group("name"), m.group("converter") or "string") for m in PATH_PARAM.finditer(rule)]
    return PATH_PARAM.sub(lambda m: "{" + m.group("name") + "}", rule), params


def param_schema(converter: str) -> dict:
    """Return the schema of a path parameter by its URL converter."""
    if converter == "int":
        return {"type": "integer", "minimum": 1, "maximum": 2_147_483_647}
    return {"type": "string", "minLength": 1}


def api_operations(app) -> list[tuple[str, str, Operation]]:
    """Return (rule, method, operation) for every declared API view of the app, by path then method."""
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        declared = getattr(view, "api_operation", None)
        if declared is None:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method, declared))
    return sorted(found, key=lambda item: (item[0], item[1]))


def openapi_document(app=None) -> dict:
    """Build the OpenAPI 3.1 document of the API from the declared operations."""
    app = app or current_app
    operations = api_operations(app)
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [(ErrorBody, "serialization")]
    for _rule, _method, declared in operations:
        if isinstance(declared.body, type):
            models.append((declared.body, "validation"))
        if declared.query is not None:
            models.append((declared.query, "validation"))
        for answer in declared.responses.values():
            models.extend((r, "serialization") for r in alternatives(answer) if isinstance(r, type))
    unique = list(dict.fromkeys(models))
    refs, defs = models_json_schema(unique, ref_template=REF)
    schemas = defs.get("$defs", {})
    paths: dict[str, dict] = {}
    for rule, method, declared in operations:
        path, params = openapi_path(rule)
        paths.setdefault(path, {})[method.lower()] = describe(declared, params, refs, schemas, method)
    return {
        "openapi": "3.1.0",
        "info": {"title": "模数共振 Marketplace API", "version": API_VERSION,
                 "description": ("Needs, listings, deals and statements of the 模数共振 marketplace. Authenticate "
                                 "with an API token (account page → API tokens) as a Bearer token. Messages "
                                 "follow Accept-Language (zh-CN by default, en).")},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer",
                           "description": "An API token: Authorization: Bearer mk_…"},
            "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                              "description": "A browser session (unsafe methods then need the X-CSRFToken header)."},
        }},
    }


def describe(declared: Operation, params: list[tuple[str, str]], refs: dict, schemas: dict, method: str) -> dict:
    """Return one operation's OpenAPI object."""
    parameters: list[dict] = []
    for name, converter in params:
        schema = declared.path_params[name]() if name in declared.path_params else param_schema(converter)
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    if declared.query is not None:
        ref = refs[(declared.query, "validation")]["$ref"].rsplit("/", 1)[-1]
        query = schemas[ref]
        required = set(query.get("required", []))
        for name, schema in query.get("properties", {}).items():
            parameters.append({"name": name, "in": "query", "required": name in required,
                               "schema": {k: v for k, v in schema.items() if k != "title"},
                               **({"description": schema["description"]} if "description" in schema else {})})
        schemas.pop(ref, None)
    for name, schema in declared.headers.items():
        parameters.append({"name": name, "in": "header", "required": False, **schema})
    described: dict[str, Any] = {"summary": declared.summary, "tags": list(declared.tags),
                                 "operationId": operation_id(method, declared),
                                 "parameters": parameters, "responses": {}}
    if declared.description:
        described["description"] = declared.description
    if declared.body is not None:
        described["requestBody"] = {"required": True, "content": content(declared.body, refs, "validation")}
    for status, body in declared.responses.items():
        answer: dict[str, Any] = {"description": STATUS_TEXT.get(status, "OK")}
        if body is not None:
            answer["content"] = content(body, refs, "serialization")
        described["responses"][str(status)] = answer
    for status in sorted(set(declared.errors) | default_errors(declared, method)):
        described["responses"][str(status)] = {
            "description": STATUS_TEXT.get(status, "Error"),
            "content": {"application/json": {"schema": refs[(ErrorBody, "serialization")]}}}
    described["security"] = ([{"bearerAuth": []}, {"sessionCookie": []}] + ([{}] if declared.public else []))
    return described


def operation_id(method: str, declared: Operation) -> str:
    """A stable operation id from the method and summary (client generators name functions after it)."""
    words = re.findall(r"[A-Za-z0-9]+", declared.summary)
    return method.lower() + "".join(w.capitalize() for w in words)[:60]


def alternatives(body) -> tuple:
    """The bodies one answer may take: one, or several media types (JSON or CSV, as the caller asks)."""
    return body if isinstance(body, tuple) else (body,)


def content(body, refs: dict, mode: str) -> dict:
    """Return the content object of a body: JSON by its model, another media type by its schema, or several."""
    if isinstance(body, tuple):
        return {media: schema for one in body for media, schema in content(one, refs, mode).items()}
    if isinstance(body, Body):
        return {body.media_type: {"schema": body.schema}}
    return {"application/json": {"schema": refs[(body, mode)]}}


def default_errors(declared: Operation, method: str) -> set[int]:
    """The errors any operation can answer: bad input, sign-in and scope, rate limit."""
    errors = {400, 429}
    if not declared.public:
        errors.add(401)
    errors.add(403)
    if declared.body is not None or method not in SAFE_METHODS:
        errors.add(422)
    return errors


STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No content", 400: "Bad request",
               401: "Not signed in, or the token is not valid", 403: "Not allowed (permission or token scope)",
               404: "Not found", 409: "Conflict: not possible in the record's current state",
               413: "Too large", 415: "Unsupported media type", 422: "Some values are not valid",
               429: "Too many requests", 503: "The search index is being built; retry after Retry-After seconds"}
