"""Post-processing of ``app.openapi()`` so the served document reads as sync-patterns expects.

- ``x-sync`` / ``x-sync-table`` written on operations (``openapi_extra``) move to the path item
  when every annotated operation of the path agrees; disagreeing operations are an error at the
  first ``/openapi.json`` request (and in :func:`export_openapi`), not a silent choice.
- ``x-sync-bind`` written on a parameter's schema (``json_schema_extra``) moves to the operation's
  ``x-sync-bind`` map (parameter name → column).
- FastAPI's default ``422`` (``HTTPValidationError``) is replaced by the shape this package's error
  handler actually answers (``ValidationError``: ``{error, message, fields: [{field, message}]}``),
  and the unused FastAPI schemas are dropped.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .errors import ERROR_SCHEMA, VALIDATION_ERROR_SCHEMA

SYNC_PATH_KEYS = ("x-sync", "x-sync-mode", "x-sync-table")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FASTAPI_422 = "#/components/schemas/HTTPValidationError"
VALIDATION_REF = "#/components/schemas/ValidationError"
ERROR_REF = "#/components/schemas/Error"


class SyncAnnotationError(ValueError):
    """Two operations of one path declare different sync annotations."""


def validation_failed_response(description: str = "The request is invalid.") -> dict[str, Any]:
    """A ``responses={422: ...}`` entry documenting this package's validation error body."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": VALIDATION_REF}}},
    }


def not_found_response(
    description: str = "No such resource, or the caller may not see it.",
) -> dict[str, Any]:
    """A ``responses={404: ...}`` entry documenting this package's error body."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _hoist_sync(path: str, item: dict[str, Any]) -> None:
    for key in SYNC_PATH_KEYS:
        seen: dict[str, Any] = {}
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict) and key in op:
                seen[method] = op[key]
        if not seen:
            continue
        values = {json.dumps(v, sort_keys=True) for v in seen.values()}
        if key in item:
            values.add(json.dumps(item[key], sort_keys=True))
        if len(values) > 1:
            found = ", ".join(f"{m.upper()} {json.dumps(v)}" for m, v in seen.items())
            raise SyncAnnotationError(
                f"paths.{path}: the operations declare different {key} values ({found}). One path "
                f"is one resource with one sync mode: give every route of {path} the same "
                f"annotation (e.g. put them in one SyncRouter)."
            )
        item[key] = next(iter(seen.values()))
        for method in seen:
            del item[method][key]


def _hoist_bind(op: dict[str, Any]) -> None:
    """``x-sync-bind`` written on a parameter's schema becomes one entry of the operation's
    ``x-sync-bind`` map (parameter name → column), where sync-patterns reads it."""
    binds: dict[str, Any] = dict(op.get("x-sync-bind", {}))
    for param in op.get("parameters", []):
        schema = param.get("schema")
        if isinstance(schema, dict) and "x-sync-bind" in schema:
            binds[param["name"]] = schema.pop("x-sync-bind")
    if binds:
        op["x-sync-bind"] = binds


def _allows_null(schema: dict[str, Any]) -> bool:
    t = schema.get("type")
    if t == "null" or (isinstance(t, list) and "null" in t) or schema.get("nullable") is True:
        return True
    return any(
        isinstance(s, dict) and _allows_null(s)
        for key in ("anyOf", "oneOf")
        for s in schema.get(key, [])
    )


def _drop_null_defaults(node: Any) -> None:
    """``default: null`` on a schema that does not allow null (an omittable() field or an
    optional parameter typed without None) says "may be absent", which ``required`` already
    says: drop it, so generators do not read the field as nullable."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None and not _allows_null(node):
            del node["default"]
        for v in node.values():
            _drop_null_defaults(v)
    elif isinstance(node, list):
        for v in node:
            _drop_null_defaults(v)


def _rewrite_refs(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        return {
            k: (new if k == "$ref" and v == old else _rewrite_refs(v, old, new))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v, old, new) for v in node]
    return node


def _uses(node: Any, ref: str) -> bool:
    return json.dumps(node).find(json.dumps(ref)) >= 0


def postprocess_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """Returns a copy of a FastAPI document with the sync annotations where sync-patterns reads
    them and the error bodies this package answers. Raises :class:`SyncAnnotationError`."""
    doc = copy.deepcopy(document)
    for path, item in doc.get("paths", {}).items():
        _hoist_sync(path, item)
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                _hoist_bind(op)
    _drop_null_defaults(doc.get("paths"))
    _drop_null_defaults(doc.get("components"))
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    if _uses(doc.get("paths", {}), _FASTAPI_422):
        doc["paths"] = _rewrite_refs(doc["paths"], _FASTAPI_422, VALIDATION_REF)
        for item in doc["paths"].values():
            for method in HTTP_METHODS:
                resp = item.get(method, {}).get("responses", {}).get("422")
                if isinstance(resp, dict) and resp.get("description") == "Validation Error":
                    resp["description"] = "The request is invalid."
    schemas.pop("HTTPValidationError", None)
    # FastAPI's own ValidationError item (loc/msg/type) is replaced by ours; keep a user's own.
    if _uses(doc.setdefault("paths", {}), VALIDATION_REF) or "ValidationError" in schemas:
        current = schemas.get("ValidationError")
        if current is None or "loc" in current.get("properties", {}):
            schemas["ValidationError"] = copy.deepcopy(VALIDATION_ERROR_SCHEMA)
    if _uses(doc["paths"], ERROR_REF) and "Error" not in schemas:
        schemas["Error"] = copy.deepcopy(ERROR_SCHEMA)
    doc["components"]["schemas"] = dict(sorted(schemas.items()))
    return doc


def install_openapi(app: FastAPI) -> None:
    """Makes ``app.openapi()`` (and so ``/openapi.json``) serve the post-processed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            raw = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                summary=app.summary,
                description=app.description,
                terms_of_service=app.terms_of_service,
                contact=app.contact,
                license_info=app.license_info,
                routes=app.routes,
                webhooks=app.webhooks.routes,
                tags=app.openapi_tags,
                servers=app.servers,
                separate_input_output_schemas=app.separate_input_output_schemas,
            )
            app.openapi_schema = postprocess_openapi(raw)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def export_openapi(app: FastAPI, out: str | Path | None = None) -> str:
    """The served document as JSON text (2-space indent); written to ``out`` when given."""
    text = json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"
    if out is not None:
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    return text
