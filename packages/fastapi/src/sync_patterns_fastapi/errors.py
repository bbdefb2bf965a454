"""Error bodies the generated clients surface, and the handlers that answer them.

A refused write reaches the app as the API error (status + parsed body). Validation errors list
each problem with its location, the way ``sync-patterns dev`` answers them::

    {"error": "validation_failed", "message": "1 problem: $.email is not a valid email address",
     "fields": [{"field": "$.email", "message": "is not a valid email address"}]}

``field`` is a JSON path into the body (``$.tags[0]``), or ``query.<name>``, ``path.<name>``,
``header.<name>``, ``cookie.<name>`` for parameters. Other errors are ``{"error", "message"}``
with a stable ``error`` code (``not_found``, ``conflict``…).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "examples": ["not_found"]},
        "message": {"type": "string"},
    },
}

VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message", "fields"],
    "properties": {
        "error": {"type": "string", "const": "validation_failed"},
        "message": {"type": "string"},
        "fields": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "JSON path of the invalid body field (`$.tags[0]`), or "
                        "`query.<name>`, `path.<name>`, `header.<name>` for a parameter.",
                    },
                    "message": {"type": "string"},
                },
            },
        },
    },
}

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ApiError(Exception):
    """Raise it from a route to answer ``{"error": code, "message": message}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


class NotFound(ApiError):
    def __init__(self, message: str = "not found"):
        super().__init__(404, "not_found", message)


class Conflict(ApiError):
    def __init__(self, message: str = "conflict"):
        super().__init__(409, "conflict", message)


class FieldProblem:
    """One invalid field, for :func:`validation_failed`."""

    __slots__ = ("field", "message")

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message


def field_path(loc: Sequence[str | int]) -> str:
    """``("body", "tags", 0)`` → ``$.tags[0]``; ``("query", "status")`` → ``query.status``."""
    if not loc:
        return "$"
    where, *rest = loc
    if where == "body":
        out = "$"
        for part in rest:
            if isinstance(part, int):
                out += f"[{part}]"
            elif _IDENT.match(part):
                out += f".{part}"
            else:
                out += f"[{part!r}]".replace("'", '"')
        return out
    return ".".join(str(p) for p in loc)


def _message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "is invalid"))
    kind = err.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not allowed"
    # Pydantic's "Value error, x" prefix says nothing to an API user.
    return re.sub(r"^(Value|Assertion) error, ", "", msg)


def validation_failed(problems: Sequence[FieldProblem], status: int = 422) -> JSONResponse:
    """The validation error response for ``problems``."""
    listed = "; ".join(f"{p.field} {p.message}" for p in problems)
    n = len(problems)
    return JSONResponse(
        status_code=status,
        content={
            "error": "validation_failed",
            "message": f"{n} problem{'' if n == 1 else 's'}: {listed}",
            "fields": [{"field": p.field, "message": p.message} for p in problems],
        },
    )


def problems_of(exc: RequestValidationError) -> list[FieldProblem]:
    out: list[FieldProblem] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        # A model-level union failure repeats the location with the member's tag: keep the field.
        out.append(FieldProblem(field_path(loc), _message(err)))
    return out


def _code(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_failed(problems_of(exc))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    body: dict[str, Any]
    if isinstance(detail, dict) and "error" in detail and "message" in detail:
        body = detail
    else:
        body = {"error": _code(exc.status_code), "message": str(detail)}
    return JSONResponse(status_code=exc.status_code, content=body, headers=exc.headers)


async def _on_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        status_code=exc.status,
        content={"error": exc.code, "message": exc.message},
        headers=exc.headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    """422 bodies with per-field problems; ``{error, message}`` for every other HTTP error."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(ApiError, _on_api_error)


OVERRIDABLE = frozenset({"PATCH", "PUT", "DELETE"})


class MethodOverrideMiddleware:
    """``POST`` + ``X-HTTP-Method-Override: PATCH|PUT|DELETE`` is handled as that method.

    The JDK's ``HttpURLConnection`` cannot send PATCH, so the Kotlin runtime's default transport
    falls back to this off Android (backend contract, section 1).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            for name, value in scope.get("headers", []):
                if name == b"x-http-method-override":
                    method = value.decode("latin-1").strip().upper()
                    if method in OVERRIDABLE:
                        scope = dict(scope)
                        scope["method"] = method
                    break
        await self.app(scope, receive, send)
