"""Sync annotations for routes, routers, Pydantic fields and parameters.

Everything here only writes OpenAPI extensions through FastAPI's and Pydantic's own extension
points (``openapi_extra`` and ``json_schema_extra`` / ``__get_pydantic_json_schema__``);
:func:`sync_patterns_fastapi.openapi.install_openapi` then moves them to where the sync-patterns
loader reads them (``x-sync`` and ``x-sync-table`` on the path item, ``x-sync-bind`` on the
operation, as a map from parameter name to column).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema as cs

SyncMode = Literal["live", "push", "confirmed"]
_MODES: tuple[str, ...] = ("live", "push", "confirmed")
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


def sync_extra(mode: SyncMode, *, table: str | None = None) -> dict[str, Any]:
    """The ``openapi_extra`` of a route in ``mode``.

    - ``"live"``: read from a local database kept in sync over the Electric shape feed; writes
      are optimistic (``x-sync: live``).
    - ``"confirmed"``: live reads, but the UI waits for the server on every write
      (``x-sync: {mode: live, local_first: false}``).
    - ``"push"``: plain request/response calls (``x-sync: push``).

    ``table`` overrides the Postgres table the shape feed reads (``x-sync-table``); by default it is
    the snake_case plural of the path's resource segment.
    """
    if mode not in _MODES:
        raise ValueError(f"unknown sync mode {mode!r}: use one of {', '.join(_MODES)}")
    extra: dict[str, Any] = {
        "x-sync": {"mode": "live", "local_first": False} if mode == "confirmed" else mode
    }
    if table is not None:
        if not _TABLE.match(table):
            raise ValueError(
                f"x-sync-table must be a Postgres table name (letters, digits and _, optionally "
                f"schema-qualified), not {table!r}"
            )
        extra["x-sync-table"] = table
    return extra


def live(*, table: str | None = None) -> dict[str, Any]:
    """``openapi_extra`` for a live route with optimistic writes."""
    return sync_extra("live", table=table)


def confirmed(*, table: str | None = None) -> dict[str, Any]:
    """``openapi_extra`` for a live route whose writes wait for the server."""
    return sync_extra("confirmed", table=table)


def push() -> dict[str, Any]:
    """``openapi_extra`` for a push (request/response) route."""
    return sync_extra("push")


def _merge(base: dict[str, Any], override: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(base)
    for k, v in (override or {}).items():
        out[k] = v
    return out


class SyncRouter(APIRouter):
    """An ``APIRouter`` whose every route declares one sync mode (and table).

    ``SyncRouter(sync="live", table="contacts", route_class=tx.route_class, prefix=...)``. A route
    may still pass its own ``openapi_extra``; its keys win.
    """

    def __init__(
        self,
        *,
        sync: SyncMode,
        table: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.sync_openapi_extra = sync_extra(sync, table=table)
        super().__init__(**kwargs)

    def add_api_route(
        self, path: str, endpoint: Callable[..., Any], **kwargs: Any
    ) -> None:
        kwargs["openapi_extra"] = _merge(self.sync_openapi_extra, kwargs.get("openapi_extra"))
        super().add_api_route(path, endpoint, **kwargs)


class _SchemaFlag:
    key: str = ""

    def __get_pydantic_json_schema__(
        self, schema: cs.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Set on the property itself (beside a ``$ref`` if any), never on a shared definition.
        json_schema = dict(handler(schema))
        json_schema[self.key] = True
        return json_schema

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)


class SyncExclude(_SchemaFlag):
    """``Annotated[str | None, SyncExclude()]``: a local-only field (``x-sync-exclude: true``).

    It exists in the client's local database and is never sent to, or synced from, the server.
    """

    key = "x-sync-exclude"


class OwnerOnly(_SchemaFlag):
    """``Annotated[str, OwnerOnly()]``: a field only its owner may see (``x-owner-only: true``)."""

    key = "x-owner-only"


def sync_exclude() -> dict[str, Any]:
    """``Field(json_schema_extra=sync_exclude())``: the same as :class:`SyncExclude`."""
    return {"x-sync-exclude": True}


def owner_only() -> dict[str, Any]:
    """``Field(json_schema_extra=owner_only())``: the same as :class:`OwnerOnly`."""
    return {"x-owner-only": True}


def sync_bind(field: str) -> dict[str, Any]:
    """Binds an optimistic-concurrency parameter to an entity field (``x-sync-bind``).

    ``if_match: str = Header(alias="If-Match", json_schema_extra=sync_bind("updated_at"))``: the
    client fills the parameter from the row's ``updated_at`` when it sends a write. The served
    document carries ``x-sync-bind: {If-Match: updated_at}`` on the operation.
    """
    if not field or not isinstance(field, str):
        raise ValueError("sync_bind needs the name of the entity field the parameter carries")
    return {"x-sync-bind": field}


def omittable(**kwargs: Any) -> Any:
    """A field that may be left out but is never null: ``first_name: str = omittable()``.

    For PATCH bodies ("absent fields are left unchanged"): the schema keeps the field's own type
    (no ``null`` added, no ``default``), an absent field is ``None`` in Python and left out by
    ``model_dump(exclude_unset=True)``, and an explicit ``null`` is a validation error.
    """
    # install_openapi drops the contradictory `default: null` from the served schema.
    return Field(default=None, **kwargs)


def route_operation_ids(route: APIRoute) -> str:
    """A ``generate_unique_id_function`` naming operations after their Python function in
    camelCase (``list_contacts`` → ``listContacts``), the names the generated clients use."""
    head, *rest = route.name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)

