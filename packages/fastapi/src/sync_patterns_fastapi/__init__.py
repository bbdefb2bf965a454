"""sync-patterns for FastAPI: sync annotations in the served OpenAPI document, the txid contract,
Postgres idempotency keys and validation errors the generated clients surface per field."""

from __future__ import annotations

from fastapi import FastAPI

from .annotations import (
    OwnerOnly,
    SyncExclude,
    SyncMode,
    SyncRouter,
    confirmed,
    live,
    omittable,
    owner_only,
    push,
    route_operation_ids,
    sync_bind,
    sync_exclude,
    sync_extra,
)
from .batch import MAX_BATCH_BODY, MAX_BATCH_WRITES, batch_router, run_batch
from .errors import (
    ApiError,
    Conflict,
    FieldProblem,
    MethodOverrideMiddleware,
    NotFound,
    field_path,
    install_error_handlers,
    validation_failed,
)
from .openapi import (
    SyncAnnotationError,
    export_openapi,
    install_openapi,
    not_found_response,
    postprocess_openapi,
    validation_failed_response,
)
from .transaction import (
    REPLAYED_HEADER,
    TXID_HEADER,
    AsyncTransactions,
    StoredAnswer,
    Transactions,
    idempotency_table,
)

#: Headers a browser client must be able to read cross-origin (CORSMiddleware expose_headers).
EXPOSE_HEADERS = [TXID_HEADER, REPLAYED_HEADER]


def install(app: FastAPI) -> None:
    """Everything app-wide: the OpenAPI post-processing, the error handlers and the
    ``X-HTTP-Method-Override`` middleware."""
    install_openapi(app)
    install_error_handlers(app)
    app.add_middleware(MethodOverrideMiddleware)


__all__ = [
    "EXPOSE_HEADERS",
    "REPLAYED_HEADER",
    "TXID_HEADER",
    "MAX_BATCH_BODY",
    "MAX_BATCH_WRITES",
    "ApiError",
    "AsyncTransactions",
    "Conflict",
    "FieldProblem",
    "MethodOverrideMiddleware",
    "NotFound",
    "OwnerOnly",
    "StoredAnswer",
    "SyncAnnotationError",
    "SyncExclude",
    "SyncMode",
    "SyncRouter",
    "Transactions",
    "batch_router",
    "confirmed",
    "export_openapi",
    "field_path",
    "idempotency_table",
    "install",
    "install_error_handlers",
    "install_openapi",
    "live",
    "omittable",
    "not_found_response",
    "owner_only",
    "postprocess_openapi",
    "push",
    "run_batch",
    "route_operation_ids",
    "sync_bind",
    "sync_exclude",
    "sync_extra",
    "validation_failed",
    "validation_failed_response",
]
