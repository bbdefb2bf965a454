"""One Postgres transaction per request: the write, its txid and its idempotency key together.

``Transactions(engine)`` (SQLAlchemy ``Engine``) and ``AsyncTransactions(async_engine)``
(``AsyncEngine``) give a FastAPI ``route_class`` and a ``session`` dependency::

    tx = Transactions(engine)
    router = APIRouter(route_class=tx.route_class)

    @router.post("/contacts", status_code=201)
    def create_contact(body: ContactCreate, db: Annotated[Session, Depends(tx.session)]) -> Contact:
        row = ContactRow(**body.model_dump()); db.add(row); db.flush()
        return Contact.model_validate(row)

For every request of such a route a connection is checked out and a transaction begun; the
session handed to the route is bound to it with ``join_transaction_mode="create_savepoint"``, so a
``db.commit()`` in the route only releases a savepoint and cannot end the request's transaction.
For a write (POST, PUT, PATCH, DELETE) that answers 2xx, after the route has returned:

1. pending ORM changes are flushed (the session's savepoint is released);
2. ``pg_current_xact_id()::xid::text`` is read **in that transaction** and answered as
   ``x-sync-txid`` (backend contract, section 1);
3. when the request carries ``Idempotency-Key``, the answer (status, body, content type, txid) is
   stored under the key in the same transaction;
4. the transaction commits, then the response is sent.

Any exception or non-2xx answer rolls everything back. The key is claimed *before* the route
runs with ``INSERT … ON CONFLICT DO NOTHING`` on its primary key: a concurrent request with the
same key waits for the first one's transaction, then replays its stored answer. A replay answers
the stored status, body and ``x-sync-txid`` (plus ``idempotency-replayed: true``) and runs
nothing; a key reused for another method or path is answered ``422``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from .errors import FieldProblem, validation_failed

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_TABLE = "sync_idempotency_keys"
TXID_HEADER = "x-sync-txid"
REPLAYED_HEADER = "idempotency-replayed"
MAX_KEY_LENGTH = 255
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEY = re.compile(r"^[\x21-\x7e]+$")

Handler = Callable[[Request], Awaitable[Response]]


def idempotency_table(metadata: MetaData, name: str = DEFAULT_TABLE) -> Table:
    """The idempotency key store as a SQLAlchemy ``Table`` (add it to your Alembic metadata)."""
    if not _NAME.match(name):
        raise ValueError(f"idempotency table name must be a plain SQL identifier, not {name!r}")
    return Table(
        name,
        metadata,
        Column("key", Text, primary_key=True),
        Column("method", Text, nullable=False),
        Column("path", Text, nullable=False),
        Column("status", Integer),
        Column("content_type", Text),
        Column("body", LargeBinary),
        Column("txid", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


@dataclass(frozen=True)
class StoredAnswer:
    method: str
    path: str
    status: int
    content_type: str | None
    body: bytes
    txid: str | None


class _Mismatch:
    def __init__(self, stored_method: str, stored_path: str):
        self.method = stored_method
        self.path = stored_path


class _Store:
    """The SQL of the key store, run on a sync ``Connection`` (async engines use ``run_sync``)."""

    def __init__(self, name: str, ttl: timedelta):
        if not _NAME.match(name):
            raise ValueError(f"idempotency table name must be a plain SQL identifier, not {name!r}")
        self.name = name
        self.ttl_seconds = ttl.total_seconds()
        self.table = idempotency_table(MetaData(), name)
        q = f'"{name}"'
        self._expire_one = text(
            f"DELETE FROM {q} WHERE key = :k AND created_at < now() - make_interval(secs => :ttl)"
        )
        self._claim = text(
            f"INSERT INTO {q} (key, method, path) VALUES (:k, :m, :p) "
            f"ON CONFLICT (key) DO NOTHING RETURNING key"
        )
        self._read = text(
            f"SELECT method, path, status, content_type, body, txid FROM {q} WHERE key = :k"
        )
        self._finish = text(
            f"UPDATE {q} SET status = :s, content_type = :ct, body = :b, txid = :t WHERE key = :k"
        )
        self._purge = text(f"DELETE FROM {q} WHERE created_at < now() - make_interval(secs => :ttl)")

    def create(self, conn: Connection) -> None:
        self.table.create(conn, checkfirst=True)
        conn.execute(
            text(f'CREATE INDEX IF NOT EXISTS "{self.name}_created_at" ON "{self.name}" (created_at)')
        )

    def claim(
        self, conn: Connection, key: str, method: str, path: str
    ) -> StoredAnswer | _Mismatch | None:
        """None: the key is ours (a first attempt). Else the first attempt's answer."""
        conn.execute(self._expire_one, {"k": key, "ttl": self.ttl_seconds})
        if conn.execute(self._claim, {"k": key, "m": method, "p": path}).first() is not None:
            return None
        row = conn.execute(self._read, {"k": key}).one()
        if row.method != method or row.path != path:
            return _Mismatch(row.method, row.path)
        return StoredAnswer(
            method=row.method,
            path=row.path,
            status=int(row.status),
            content_type=row.content_type,
            body=bytes(row.body or b""),
            txid=row.txid,
        )

    def finish(
        self, conn: Connection, key: str | None, response: Response
    ) -> str:
        """Reads the txid of the request's transaction and stores the answer under ``key``."""
        txid = str(conn.execute(text("SELECT pg_current_xact_id()::xid::text")).scalar_one())
        if key is not None:
            body = getattr(response, "body", None)
            if not isinstance(body, (bytes, bytearray, memoryview)):
                raise RuntimeError(
                    "an idempotent write needs a buffered response (not a StreamingResponse) so "
                    "that its answer can be stored for replays"
                )
            conn.execute(
                self._finish,
                {
                    "k": key,
                    "s": response.status_code,
                    "ct": response.headers.get("content-type"),
                    "b": bytes(body),
                    "t": txid,
                },
            )
        return txid

    def purge(self, conn: Connection) -> int:
        return int(conn.execute(self._purge, {"ttl": self.ttl_seconds}).rowcount or 0)


def _key_problem(key: str) -> Response | None:
    if len(key) > MAX_KEY_LENGTH or not _KEY.match(key):
        return validation_failed(
            [
                FieldProblem(
                    "header.Idempotency-Key",
                    f"must be 1–{MAX_KEY_LENGTH} printable ASCII characters without spaces",
                )
            ]
        )
    return None


def _mismatch(m: _Mismatch, method: str, path: str) -> Response:
    return validation_failed(
        [
            FieldProblem(
                "header.Idempotency-Key",
                f"was first used for {m.method} {m.path}, not {method} {path}: a key names one "
                f"write; send a new key for a new write",
            )
        ]
    )


def _replay(stored: StoredAnswer) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if stored.txid is not None:
        headers[TXID_HEADER] = stored.txid
    return Response(
        content=stored.body if stored.status not in (204, 304) else b"",
        status_code=stored.status,
        headers=headers,
        media_type=stored.content_type,
    )


def _target(request: Request) -> tuple[str, str]:
    path = request.url.path
    return request.method.upper(), path


def _is_write(request: Request) -> bool:
    return request.method.upper() in WRITE_METHODS


def _success(response: Response) -> bool:
    return 200 <= response.status_code < 300


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    return key if key else None


class Transactions:
    """Request transactions, txids and idempotency keys for a sync SQLAlchemy ``Engine``."""

    def __init__(
        self,
        engine: Engine,
        *,
        idempotency_table: str = DEFAULT_TABLE,
        key_ttl: timedelta = timedelta(hours=24),
        session_options: dict[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.store = _Store(idempotency_table, key_ttl)
        # A commit inside the route only releases a savepoint: nothing to reload afterwards (and an
        # AsyncSession cannot lazy-load expired attributes at all).
        self.session_options = {"expire_on_commit": False, **(session_options or {})}
        self.route_class = _route_class(self._handle, "TransactionalRoute")

    def create_tables(self) -> None:
        """Creates the idempotency key table if it does not exist."""
        with self.engine.begin() as conn:
            self.store.create(conn)

    def purge_expired_keys(self) -> int:
        """Deletes keys older than ``key_ttl`` (run it periodically); returns how many."""
        with self.engine.begin() as conn:
            return self.store.purge(conn)

    @staticmethod
    def session(request: Request) -> Session:
        """The dependency giving a route the request's session."""
        s = getattr(request.state, "sync_session", None)
        if not isinstance(s, Session):
            raise RuntimeError(
                "no request transaction: give this route's router route_class=tx.route_class "
                "(Transactions), or use AsyncTransactions.session with an AsyncEngine"
            )
        return s

    async def _handle(self, request: Request, inner: Handler) -> Response:
        write = _is_write(request)
        key = _idempotency_key(request) if write else None
        if key is not None and (bad := _key_problem(key)) is not None:
            return bad
        conn: Connection = await run_in_threadpool(self.engine.connect)
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", **self.session_options)
        request.state.sync_session = session
        committed = False
        try:
            if key is not None:
                method, path = _target(request)
                hit = await run_in_threadpool(self.store.claim, conn, key, method, path)
                if isinstance(hit, _Mismatch):
                    return _mismatch(hit, method, path)
                if hit is not None:
                    return _replay(hit)
            response = await inner(request)
            if not _success(response):
                return response

            def commit() -> str | None:
                # The session's commit releases its savepoint (closing it would roll it back).
                session.commit()
                txid = self.store.finish(conn, key, response) if write else None
                trans.commit()
                return txid

            txid = await run_in_threadpool(commit)
            committed = True
            if txid is not None:
                response.headers[TXID_HEADER] = txid
            return response
        finally:
            def release() -> None:
                session.close()
                if not committed and trans.is_active:
                    trans.rollback()
                conn.close()

            await run_in_threadpool(release)


class AsyncTransactions:
    """The same as :class:`Transactions` for an ``AsyncEngine`` and ``AsyncSession``."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        idempotency_table: str = DEFAULT_TABLE,
        key_ttl: timedelta = timedelta(hours=24),
        session_options: dict[str, Any] | None = None,
    ) -> None:
        self.engine = engine
        self.store = _Store(idempotency_table, key_ttl)
        # A commit inside the route only releases a savepoint: nothing to reload afterwards (and an
        # AsyncSession cannot lazy-load expired attributes at all).
        self.session_options = {"expire_on_commit": False, **(session_options or {})}
        self.route_class = _route_class(self._handle, "AsyncTransactionalRoute")

    async def create_tables(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(self.store.create)

    async def purge_expired_keys(self) -> int:
        async with self.engine.begin() as conn:
            return await conn.run_sync(self.store.purge)

    @staticmethod
    def session(request: Request) -> AsyncSession:
        s = getattr(request.state, "sync_session", None)
        if not isinstance(s, AsyncSession):
            raise RuntimeError(
                "no request transaction: give this route's router route_class=tx.route_class "
                "(AsyncTransactions), or use Transactions.session with a sync Engine"
            )
        return s

    async def _handle(self, request: Request, inner: Handler) -> Response:
        write = _is_write(request)
        key = _idempotency_key(request) if write else None
        if key is not None and (bad := _key_problem(key)) is not None:
            return bad
        conn = await self.engine.connect()
        trans = await conn.begin()
        session = AsyncSession(
            bind=conn, join_transaction_mode="create_savepoint", **self.session_options
        )
        request.state.sync_session = session
        committed = False
        try:
            if key is not None:
                method, path = _target(request)
                hit = await conn.run_sync(self.store.claim, key, method, path)
                if isinstance(hit, _Mismatch):
                    return _mismatch(hit, method, path)
                if hit is not None:
                    return _replay(hit)
            response = await inner(request)
            if not _success(response):
                return response
            await session.commit()  # releases its savepoint; closing it would roll it back
            txid = await conn.run_sync(self.store.finish, key, response) if write else None
            await trans.commit()
            committed = True
            if txid is not None:
                response.headers[TXID_HEADER] = txid
            return response
        finally:
            await session.close()
            if not committed and trans.is_active:
                await trans.rollback()
            await conn.close()


def _route_class(
    handle: Callable[[Request, Handler], Awaitable[Response]], name: str
) -> type[APIRoute]:
    class TransactionalRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            inner = super().get_route_handler()

            async def handler(request: Request) -> Response:
                return await handle(request, inner)

            return handler

    TransactionalRoute.__name__ = TransactionalRoute.__qualname__ = name
    return TransactionalRoute
