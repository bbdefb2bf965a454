"""The batch write operation (``x-sync-batch``, docs/backend-contract.md section 7).

``batch_router()`` gives an ``APIRouter`` with one ``POST`` (``/sync/batch`` by default) declared
``x-sync-batch: true``. Its body is a list of outbox writes ``{write_id, table, op, key,
payload}``; each write is run **as the single request it stands for** (the entity's create,
update-else-replace or delete route of this app, with ``Idempotency-Key: <write_id>`` and the
batch request's other headers), through the whole ASGI app. So a write gets exactly what its
single request would: the same middleware and auth, validation and error bodies, the route
class's own transaction, ``x-sync-txid`` and idempotency record (a write already applied, in a
batch or alone, is replayed from that record). One transaction per write, as the contract allows.

The answer is ``200 {"results": [{write_id, status, txid?, body?}]}`` in order, with the rules of
the contract: a 4xx does not stop the batch, but the later writes of the same ``(table, key)``
answer ``424 {"error": "failed_dependency"}`` (a delete answered 404 is not a refusal); the
first 5xx or 429 is the last result and nothing after it runs. ``400`` for a malformed batch,
``413`` beyond ``max_writes`` writes or ``max_body_bytes``.

Which route a write goes to is read from the app's OpenAPI document (``app.openapi()``, what
sync-patterns generates from, so ``include_in_schema=False`` routes are not candidates): paths
declaring ``x-sync`` ``live`` or
``confirmed`` (``SyncRouter`` / ``live()`` / ``confirmed()``), grouped by resource (the last
literal path segment, ``/accounts/{account_id}/line-items`` and ``/line-items/{id}`` are one
resource). The table is the group's ``x-sync-table``, else the resource in snake_case. ``insert``
→ the ``POST`` on a path ending with the resource (fewest path parameters first); ``update`` →
the ``PATCH`` on a path ending with ``/{param}``, else its ``PUT``; ``delete`` → its ``DELETE``.
The last path parameter takes ``key``; any other (a parent, such as ``account_id``) comes from the
payload's field of that name (snake or camel case).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import Message, Scope

from .transaction import MAX_KEY_LENGTH, TXID_HEADER

#: Most writes one batch may carry (the runtimes send 100 by default).
MAX_BATCH_WRITES = 1000
#: Largest batch body accepted, in bytes.
MAX_BATCH_BODY = 1 << 20

OPS = ("insert", "update", "delete")
LIVE_MODES = frozenset({"live", "confirmed"})
_PARAM = re.compile(r"^\{([^}]+)\}$")
# Headers of the batch request a write's sub-request does not inherit.
_DROP_HEADERS = frozenset(
    {b"content-length", b"content-type", b"idempotency-key", b"x-http-method-override",
     b"transfer-encoding", b"expect"}
)

_CONNECTION_KEYS = frozenset(
    {"type", "asgi", "http_version", "server", "client", "scheme", "root_path", "extensions"}
)

BATCH_WRITE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["write_id", "table", "op", "key"],
    "properties": {
        "write_id": {
            "type": "string",
            "maxLength": MAX_KEY_LENGTH,
            "description": "The write's id; the Idempotency-Key of the single request it stands for.",
        },
        "table": {"type": "string"},
        "op": {"type": "string", "enum": list(OPS)},
        "key": {"description": "The primary key value (string or number)."},
        "payload": {"type": ["object", "null"], "additionalProperties": True},
    },
}
BATCH_RESULTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["results"],
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["write_id", "status"],
                "properties": {
                    "write_id": {"type": "string"},
                    "status": {"type": "integer"},
                    "txid": {"type": "string"},
                    "body": {},
                },
            },
        }
    },
}


@dataclass(frozen=True)
class BatchWrite:
    write_id: str
    table: str
    op: str
    key: str | int | float | None
    payload: dict[str, Any] | None


@dataclass(frozen=True)
class _Target:
    method: str
    path: str  # the route's path template, e.g. /accounts/{account_id}/line-items
    params: tuple[str, ...]  # its path parameters, in order


@dataclass
class _Resource:
    table: str | None = None
    insert: list[_Target] = field(default_factory=list)
    patch: list[_Target] = field(default_factory=list)
    put: list[_Target] = field(default_factory=list)
    delete: list[_Target] = field(default_factory=list)


def _error(status: int, error: str, message: str, fields: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, Any] = {"error": error, "message": message}
    if fields is not None:
        body["fields"] = fields
    return JSONResponse(body, status_code=status)


def _at(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def parse_batch(raw: bytes, max_writes: int) -> list[BatchWrite] | Response:
    """The writes of a batch body, or its 400 / 413 answer (nothing is run then)."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        return _error(
            400, "bad_request", f"the batch body is not JSON: {e}", [_at("$", "must be JSON")]
        )
    if not isinstance(body, list):
        return _error(
            400,
            "bad_request",
            "the batch body is a JSON array of writes {write_id, table, op, key, payload}",
            [_at("$", "must be an array")],
        )
    if len(body) > max_writes:
        return _error(
            413,
            "payload_too_large",
            f"a batch carries at most {max_writes} writes; this one has {len(body)}: "
            "send fewer at once",
        )
    problems: list[dict[str, str]] = []
    writes: list[BatchWrite] = []
    ids: set[str] = set()
    problem = problems.append
    for i, w in enumerate(body):
        at = f"$[{i}]"
        if not isinstance(w, dict):
            problem(_at(at, "must be an object {write_id, table, op, key, payload}"))
            continue
        write_id, table, op = w.get("write_id"), w.get("table"), w.get("op")
        key, payload = w.get("key"), w.get("payload")
        if not isinstance(write_id, str) or not write_id or len(write_id) > MAX_KEY_LENGTH:
            problem(
                _at(f"{at}.write_id", f"must be a non-empty string of at most {MAX_KEY_LENGTH} characters")
            )
        elif write_id in ids:
            problem(_at(f"{at}.write_id", f"appears twice in this batch ({write_id})"))
        else:
            ids.add(write_id)
        if not isinstance(table, str):
            problem(_at(f"{at}.table", "must be a string"))
        if op not in OPS:
            problem(_at(f"{at}.op", "must be one of insert, update, delete"))
        if op != "insert" and (key is None or isinstance(key, (bool, dict, list))):
            problem(_at(f"{at}.key", "must be the primary key value (a string or a number)"))
        if payload is not None and not isinstance(payload, dict):
            problem(_at(f"{at}.payload", "must be an object (the write's request body) or null"))
        if op != "delete" and payload is None:
            problem(_at(f"{at}.payload", f"is required for {op}"))
        writes.append(BatchWrite(str(write_id), str(table), str(op), key, payload))
    if problems:
        summary = "; ".join(f"{p['field']} {p['message']}" for p in problems[:5])
        n = len(problems)
        return _error(
            400,
            "bad_request",
            f"{n} problem{'' if n == 1 else 's'} in the batch; nothing was written: {summary}",
            problems,
        )
    return writes


def _sync_mode(extra: dict[str, Any] | None) -> str | None:
    if not extra:
        return None
    mode = extra.get("x-sync", extra.get("x-sync-mode"))
    if isinstance(mode, dict):
        mode = mode.get("mode")
    return mode if isinstance(mode, str) else None


def _snake(name: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).replace("-", "_")
    return s.lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def resources(openapi: dict[str, Any]) -> dict[str, _Resource]:
    """The live / confirmed resources of an app, by table, read from its OpenAPI document (the
    one sync-patterns generates from: ``x-sync`` / ``x-sync-table`` on the path item, or on its
    operations when :func:`install` did not hoist them)."""
    by_resource: dict[str, _Resource] = {}
    for path, item in (openapi.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        segments = [s for s in path.split("/") if s]
        literal = [s for s in segments if not _PARAM.match(s)]
        if not literal:
            continue
        resource = literal[-1]
        params = tuple(m.group(1) for s in segments if (m := _PARAM.match(s)))
        item_path = len(segments) >= 2 and _PARAM.match(segments[-1]) is not None and segments[-2] == resource
        for method in ("post", "patch", "put", "delete"):
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            if _sync_mode(item) not in LIVE_MODES and _sync_mode(op) not in LIVE_MODES:
                continue
            r = by_resource.setdefault(resource, _Resource())
            table = item.get("x-sync-table", op.get("x-sync-table"))
            if isinstance(table, str):
                r.table = table
            target = _Target(method.upper(), path, params)
            if method == "post" and segments[-1] == resource:
                r.insert.append(target)
            elif item_path and method != "post":
                {"patch": r.patch, "put": r.put, "delete": r.delete}[method].append(target)
    out: dict[str, _Resource] = {}
    for resource, r in by_resource.items():
        for bucket in (r.insert, r.patch, r.put, r.delete):
            bucket.sort(key=lambda t: len(t.params))
        out[r.table or _snake(resource)] = r
    return out


def _route_for(res: dict[str, _Resource], w: BatchWrite) -> _Target | Response:
    r = res.get(w.table)
    if r is None:
        known = ", ".join(sorted(res)) or "none"
        return _error(
            422,
            "validation_failed",
            f'no live entity has the table "{w.table}"',
            [{"field": "$.table", "message": f"unknown table (known: {known})"}],
        )
    bucket = r.insert if w.op == "insert" else (r.patch or r.put) if w.op == "update" else r.delete
    if not bucket:
        what = "create" if w.op == "insert" else w.op
        return _error(405, "method_not_allowed", f'the table "{w.table}" has no {what} operation')
    return bucket[0]


def _path(t: _Target, w: BatchWrite) -> str | Response:
    path = t.path
    item = t.params[-1] if t.params and t.method != "POST" else None
    for p in t.params:
        if p == item:
            value: Any = w.key
        else:
            payload = w.payload or {}
            value = payload.get(p, payload.get(_camel(p)))
            if value is None:
                return _error(
                    422,
                    "validation_failed",
                    f"{t.method} {t.path} needs the path parameter {p}: send it as the payload's {p}",
                    [{"field": f"$.payload.{p}", "message": "is required (the parent's key)"}],
                )
        path = path.replace("{" + p + "}", quote(str(value), safe=""))
    return path


async def _call(
    request: Request, method: str, path: str, w: BatchWrite
) -> tuple[int, dict[str, str], bytes]:
    """Runs one write as its own request through the whole app; returns status, headers, body."""
    scope: Scope = request.scope
    body = b"" if w.op == "delete" else json.dumps(w.payload).encode()
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _DROP_HEADERS]
    headers += [(b"idempotency-key", w.write_id.encode()), (b"content-length", str(len(body)).encode())]
    if body:
        headers.append((b"content-type", b"application/json"))
    # only the connection's keys: the route, endpoint and FastAPI's exit stacks are per request
    sub: dict[str, Any] = {k: v for k, v in scope.items() if k in _CONNECTION_KEYS}
    root = scope.get("root_path", "")
    sub.update(
        method=method,
        path=root + path,
        raw_path=(root + path).encode(),
        query_string=b"",
        headers=headers,
        # a request's own state (the transaction's session lives there), from the lifespan state
        state=dict(scope.get("state") or {}),
    )
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 500
    out_headers: dict[str, str] = {}
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
            for k, v in message.get("headers", []):
                out_headers[k.decode("latin-1").lower()] = v.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await scope["app"](sub, receive, send)
    except Exception as e:  # noqa: BLE001 - an unhandled error is this write's 500
        if status < 500:
            status = 500
        out_headers = {"content-type": "application/json"}
        chunks = [json.dumps({"error": "internal_error", "message": str(e) or type(e).__name__}).encode()]
    return status, out_headers, b"".join(chunks)


def _body(headers: dict[str, str], raw: bytes) -> Any:
    if not raw:
        return None
    if "json" in headers.get("content-type", ""):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return raw.decode("utf-8", "replace")


async def run_batch(
    request: Request, *, max_writes: int = MAX_BATCH_WRITES, max_body_bytes: int = MAX_BATCH_BODY
) -> Response:
    """The batch endpoint: validates the batch, then runs its writes in order (see module doc)."""
    too_large = _error(
        413,
        "payload_too_large",
        f"a batch body is at most {max_body_bytes} bytes: send fewer writes at once",
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
        return too_large
    raw = await request.body()
    if len(raw) > max_body_bytes:
        return too_large
    writes = parse_batch(raw, max_writes)
    if isinstance(writes, Response):
        return writes
    res = resources(request.app.openapi())
    results: list[dict[str, Any]] = []
    refused: set[tuple[str, str]] = set()
    for w in writes:
        row = (w.table, str(w.key))
        headers: dict[str, str] = {}
        body: Any
        if row in refused:
            status = 424
            body = {
                "error": "failed_dependency",
                "message": f"not applied: an earlier write of {w.table} {w.key} in this batch was refused",
            }
        else:
            target = _route_for(res, w)
            path = target if isinstance(target, Response) else _path(target, w)
            if isinstance(path, Response):
                status, body = path.status_code, json.loads(bytes(path.body))
            else:
                assert isinstance(target, _Target)
                status, headers, raw_body = await _call(request, target.method, path, w)
                body = _body(headers, raw_body)
        result: dict[str, Any] = {"write_id": w.write_id, "status": status}
        if TXID_HEADER in headers:
            result["txid"] = headers[TXID_HEADER]
        if body is not None:
            result["body"] = body
        results.append(result)
        # the client retries from this write: nothing after it may be applied
        if status >= 500 or status == 429:
            break
        # a 404 delete is done (the row is gone either way); any other 4xx refuses the row
        if status >= 400 and not (status == 404 and w.op == "delete"):
            refused.add(row)
    return JSONResponse({"results": results})


def batch_router(
    path: str = "/sync/batch",
    *,
    max_writes: int = MAX_BATCH_WRITES,
    max_body_bytes: int = MAX_BATCH_BODY,
    name: str = "sync_batch",
    operation_id: str = "syncBatch",
    **router_kwargs: Any,
) -> APIRouter:
    """An ``APIRouter`` with the batch write operation, declared ``x-sync-batch: true`` with its
    request and response schemas. Include it in the app (``app.include_router(batch_router(),
    dependencies=[...auth...])``); do NOT give it a ``Transactions`` route class: each write runs
    in its own request transaction through its entity route."""
    router = APIRouter(**router_kwargs)

    async def endpoint(request: Request) -> Response:
        return await run_batch(request, max_writes=max_writes, max_body_bytes=max_body_bytes)

    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        name=name,
        operation_id=operation_id,
        summary="Apply a list of outbox writes in order",
        response_class=JSONResponse,
        responses={
            200: {
                "description": "One result per write, in order, up to the first retryable one.",
                "content": {"application/json": {"schema": BATCH_RESULTS_SCHEMA}},
            },
            400: {"description": "A malformed batch; nothing was written."},
            413: {"description": "Too many writes or too large a body; send fewer at once."},
        },
        openapi_extra={
            "x-sync-batch": True,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "maxItems": max_writes, "items": BATCH_WRITE_SCHEMA}
                    }
                },
            },
        },
    )
    return router
