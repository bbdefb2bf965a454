"""The batch write operation (x-sync-batch, backend contract section 7) against a real Postgres.

Every write to ``bnotes`` is logged by a trigger with its transaction's ``pg_current_xact_id()``
(what the shape carries), so each answered txid can be checked against the write it stands for.
"""
# No `from __future__ import annotations`: the routes use a local `Db` alias FastAPI must resolve.

import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Header, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sync_patterns_fastapi import (
    ApiError,
    AsyncTransactions,
    NotFound,
    SyncRouter,
    Transactions,
    batch_router,
    install,
)


class Base(DeclarativeBase):
    pass


class BNoteRow(Base):
    __tablename__ = "bnotes"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    folder_id: Mapped[str]
    title: Mapped[str]


class BNoteIn(BaseModel):
    id: uuid.UUID | None = None
    title: str = Field(min_length=1)


class BNote(BaseModel):
    id: uuid.UUID
    folder_id: str
    title: str


SETUP = """
CREATE TABLE IF NOT EXISTS bnote_log (seq bigserial PRIMARY KEY, op text, note_id uuid, title text,
                                      txid text NOT NULL DEFAULT pg_current_xact_id()::xid::text);
CREATE OR REPLACE FUNCTION bnote_log_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bnote_log (op, note_id, title)
    VALUES (TG_OP, COALESCE(NEW.id, OLD.id), CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.title END);
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS bnote_log_tg ON bnotes;
CREATE TRIGGER bnote_log_tg AFTER INSERT OR UPDATE OR DELETE ON bnotes
  FOR EACH ROW EXECUTE FUNCTION bnote_log_fn();
"""

#: Titles whose write fails with an unhandled error (500): a server that is down for that write.
FAILING: set[str] = set()
TOKEN = "Bearer letmein"


def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
    if authorization != TOKEN:
        raise ApiError(401, "unauthorized", "a bearer token is required")


def check_title(title: str) -> None:
    if title in FAILING:
        raise RuntimeError("the database is on fire")
    if title == "slow-down":
        raise ApiError(429, "rate_limited", "too many writes", {"Retry-After": "1"})


def make_app(url: str, max_writes: int = 1000) -> tuple[FastAPI, Any]:
    engine = create_engine(url, pool_size=5)
    Base.metadata.create_all(engine)
    with engine.begin() as c:
        c.exec_driver_sql(SETUP)
    tx = Transactions(engine)
    tx.create_tables()
    app = FastAPI()
    install(app)
    # nested: created under its folder, updated and deleted by its own id
    router = SyncRouter(sync="live", table="bnotes", route_class=tx.route_class)
    Db = Annotated[Session, Depends(tx.session)]

    @router.post("/folders/{folder_id}/notes", status_code=201)
    def create_note(folder_id: str, body: BNoteIn, db: Db) -> BNote:
        check_title(body.title)
        row = BNoteRow(id=body.id or uuid.uuid4(), folder_id=folder_id, title=body.title)
        db.add(row)
        db.flush()
        return BNote(id=row.id, folder_id=row.folder_id, title=row.title)

    @router.get("/folders/{folder_id}/notes")
    def list_notes(folder_id: str, db: Db) -> list[BNote]:
        rows = db.query(BNoteRow).filter(BNoteRow.folder_id == folder_id)
        return [BNote(id=r.id, folder_id=r.folder_id, title=r.title) for r in rows]

    @router.get("/notes/{note_id}")
    def get_note(note_id: uuid.UUID, db: Db) -> BNote:
        row = db.get(BNoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        return BNote(id=row.id, folder_id=row.folder_id, title=row.title)

    @router.patch("/notes/{note_id}")
    def update_note(note_id: uuid.UUID, body: BNoteIn, db: Db) -> BNote:
        check_title(body.title)
        row = db.get(BNoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        row.title = body.title
        db.flush()
        return BNote(id=row.id, folder_id=row.folder_id, title=row.title)

    @router.delete("/notes/{note_id}", status_code=204)
    def delete_note(note_id: uuid.UUID, db: Db) -> Response:
        row = db.get(BNoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        db.delete(row)
        return Response(status_code=204)

    # the entity routes check the token; the batch route does not need to (each write does)
    app.include_router(router, dependencies=[Depends(authorized)])
    app.include_router(batch_router(max_writes=max_writes))
    return app, engine


@pytest.fixture(scope="module")
def env(database_url: str) -> Iterator[tuple[TestClient, Any]]:
    app, engine = make_app(database_url, max_writes=50)
    with TestClient(app, headers={"Authorization": TOKEN}) as client:
        yield client, engine
    engine.dispose()


def log(engine: Any) -> list[tuple[str, str, str | None, str]]:
    with engine.connect() as c:
        return [
            (r.op, str(r.note_id), r.title, r.txid)
            for r in c.execute(text("SELECT op, note_id, title, txid FROM bnote_log ORDER BY seq"))
        ]


def ins(nid: str, title: str, folder: str = "f1") -> dict[str, Any]:
    return {"write_id": str(uuid.uuid4()), "table": "bnotes", "op": "insert", "key": nid,
            "payload": {"id": nid, "folder_id": folder, "title": title}}


def upd(nid: str, title: str) -> dict[str, Any]:
    return {"write_id": str(uuid.uuid4()), "table": "bnotes", "op": "update", "key": nid,
            "payload": {"title": title}}


def dele(nid: str) -> dict[str, Any]:
    return {"write_id": str(uuid.uuid4()), "table": "bnotes", "op": "delete", "key": nid,
            "payload": None}


def new_id() -> str:
    return str(uuid.uuid4())


def test_declares_x_sync_batch(env: tuple[TestClient, Any]) -> None:
    client, _ = env
    op = client.get("/openapi.json").json()["paths"]["/sync/batch"]["post"]
    assert op["x-sync-batch"] is True
    assert op["operationId"] == "syncBatch"
    assert op["requestBody"]["content"]["application/json"]["schema"]["type"] == "array"


def test_in_order_with_one_txid_per_applied_write(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    before = len(log(engine))
    a, b = new_id(), new_id()
    writes = [ins(a, "one"), upd(a, "two"), ins(b, "bee"), dele(a)]
    r = client.post("/sync/batch", json=writes)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["write_id"] for x in results] == [w["write_id"] for w in writes]
    assert [x["status"] for x in results] == [201, 200, 201, 204]
    assert results[0]["body"] == {"id": a, "folder_id": "f1", "title": "one"}
    assert results[1]["body"]["title"] == "two"
    assert "body" not in results[3]
    # each answered txid is the one of the transaction that made that write
    entries = log(engine)[before:]
    assert [(op, nid, title) for op, nid, title, _ in entries] == [
        ("INSERT", a, "one"), ("UPDATE", a, "two"), ("INSERT", b, "bee"), ("DELETE", a, None)
    ]
    assert [x["txid"] for x in results] == [t for *_, t in entries]


def test_resending_the_batch_applies_nothing_and_replays(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    a = new_id()
    single = ins(a, "alone")
    # the first write was already sent as a single request: same idempotency record
    r0 = client.post("/folders/f1/notes", json=single["payload"],
                     headers={"Idempotency-Key": single["write_id"]})
    assert r0.status_code == 201
    writes = [single, upd(a, "again")]
    first = client.post("/sync/batch", json=writes).json()["results"]
    assert first[0]["txid"] == r0.headers["x-sync-txid"]
    before = len(log(engine))
    second = client.post("/sync/batch", json=writes).json()["results"]
    assert second == first
    assert len(log(engine)) == before


def test_refusal_does_not_stop_the_batch_and_fails_its_row(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    a, b, gone = new_id(), new_id(), new_id()
    client.post("/sync/batch", json=[ins(a, "a0"), ins(b, "b0")])
    before = len(log(engine))
    writes = [upd(a, ""), upd(b, "b1"), upd(a, "a2"), dele(gone), upd(gone, "x"), dele(a)]
    results = client.post("/sync/batch", json=writes).json()["results"]
    assert [x["status"] for x in results] == [422, 200, 424, 404, 404, 424]
    assert results[0]["body"]["error"] == "validation_failed"
    assert results[2]["body"]["error"] == "failed_dependency"
    assert "txid" not in results[0] and "txid" not in results[2]
    # a delete answered 404 is not a refusal: the later update of that row still runs (and 404s)
    assert results[4]["body"]["error"] != "failed_dependency"
    assert [(op, nid, t) for op, nid, t, _ in log(engine)[before:]] == [("UPDATE", b, "b1")]


def test_retryable_failure_ends_the_batch_and_a_retry_resumes(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    a, b, c = new_id(), new_id(), new_id()
    writes = [ins(a, "a"), ins(b, "boom"), ins(c, "c")]
    FAILING.add("boom")
    try:
        before = len(log(engine))
        results = client.post("/sync/batch", json=writes).json()["results"]
        assert [x["status"] for x in results] == [201, 500]
        assert [nid for _, nid, _, _ in log(engine)[before:]] == [a]  # nothing after the 500
    finally:
        FAILING.discard("boom")
    retry = client.post("/sync/batch", json=writes[1:]).json()["results"]
    assert [x["status"] for x in retry] == [201, 201]
    assert [nid for _, nid, _, _ in log(engine)[before:]] == [a, b, c]


@pytest.mark.parametrize(
    "bad,field",
    [
        (None, "$"),  # not an array at all
        ([{"write_id": "x", "table": "bnotes", "op": "upsert", "key": "k", "payload": {}}], "$[1].op"),
        ([{"table": "bnotes", "op": "delete", "key": "k"}], "$[1].write_id"),
        ([{"write_id": "x", "table": "bnotes", "op": "update", "key": "k", "payload": None}], "$[1].payload"),
        ([{"write_id": "d", "table": "bnotes", "op": "delete", "key": "k"}] * 2, "$[2].write_id"),
        ([{"write_id": "x", "table": "bnotes", "op": "delete", "key": {"a": 1}}], "$[1].key"),
        (["not an object"], "$[1]"),
    ],
)
def test_malformed_batch_is_400_and_writes_nothing(
    env: tuple[TestClient, Any], bad: Any, field: str
) -> None:
    client, engine = env
    before = len(log(engine))
    good = ins(new_id(), "never")  # a valid write first: it must not be applied either
    body: Any = {"writes": [good]} if bad is None else [good, *bad]
    r = client.post("/sync/batch", json=body)
    assert r.status_code == 400, r.text
    assert r.json()["error"] == "bad_request"
    assert field in [f["field"] for f in r.json()["fields"]]
    assert len(log(engine)) == before


def test_not_json_is_400(env: tuple[TestClient, Any]) -> None:
    client, _ = env
    r = client.post("/sync/batch", content=b"[{", headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_beyond_the_limit_is_413_and_writes_nothing(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    before = len(log(engine))
    r = client.post("/sync/batch", json=[ins(new_id(), "n") for _ in range(51)])
    assert r.status_code == 413
    assert r.json()["error"] == "payload_too_large"
    assert len(log(engine)) == before
    assert client.post("/sync/batch", json=[ins(new_id(), "n") for _ in range(50)]).status_code == 200


def test_a_body_beyond_1_mib_is_413(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    before = len(log(engine))
    r = client.post("/sync/batch", json=[ins(new_id(), "x" * (1 << 20))])
    assert r.status_code == 413
    assert len(log(engine)) == before


def test_unknown_table_and_missing_parent_are_refused_per_write(env: tuple[TestClient, Any]) -> None:
    client, _ = env
    a = new_id()
    no_parent = ins(a, "orphan")
    del no_parent["payload"]["folder_id"]
    other = {**ins(new_id(), "x"), "table": "nope"}
    results = client.post("/sync/batch", json=[other, no_parent, ins(new_id(), "ok")]).json()["results"]
    assert [x["status"] for x in results] == [422, 422, 201]


def test_429_ends_the_batch_like_a_5xx(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    a, b = new_id(), new_id()
    before = len(log(engine))
    results = client.post("/sync/batch", json=[ins(a, "slow-down"), ins(b, "b")]).json()["results"]
    assert [x["status"] for x in results] == [429]
    assert results[0]["body"]["error"] == "rate_limited"
    assert len(log(engine)) == before


def test_each_write_carries_the_batch_requests_headers(env: tuple[TestClient, Any]) -> None:
    client, engine = env
    before = len(log(engine))
    r = client.post("/sync/batch", json=[ins(new_id(), "x")], headers={"Authorization": "Bearer no"})
    assert r.status_code == 200
    assert [x["status"] for x in r.json()["results"]] == [401]
    assert len(log(engine)) == before


def test_async_transactions(database_url: str, env: tuple[TestClient, Any]) -> None:
    """The same batch through AsyncTransactions routes (tables made by the sync app)."""
    _, engine = env
    aengine = create_async_engine(database_url, pool_size=5)
    tx = AsyncTransactions(aengine)
    app = FastAPI()
    install(app)
    router = SyncRouter(sync="live", table="bnotes", route_class=tx.route_class)
    Db = Annotated[AsyncSession, Depends(tx.session)]

    @router.post("/folders/{folder_id}/notes", status_code=201)
    async def create_note(folder_id: str, body: BNoteIn, db: Db) -> BNote:
        check_title(body.title)
        row = BNoteRow(id=body.id or uuid.uuid4(), folder_id=folder_id, title=body.title)
        db.add(row)
        await db.flush()
        return BNote(id=row.id, folder_id=row.folder_id, title=row.title)

    @router.patch("/notes/{note_id}")
    async def update_note(note_id: uuid.UUID, body: BNoteIn, db: Db) -> BNote:
        row = await db.get(BNoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        row.title = body.title
        await db.flush()
        return BNote(id=row.id, folder_id=row.folder_id, title=row.title)

    app.include_router(router)
    app.include_router(batch_router())
    a, b = new_id(), new_id()
    writes = [ins(a, "a1"), upd(a, ""), upd(a, "a3"), ins(b, "boom"), ins(new_id(), "never")]
    before = len(log(engine))
    FAILING.add("boom")
    try:
        with TestClient(app) as client:
            results = client.post("/sync/batch", json=writes).json()["results"]
            assert [x["status"] for x in results] == [201, 422, 424, 500]
            entries = log(engine)[before:]
            assert [(op, nid) for op, nid, _, _ in entries] == [("INSERT", a)]
            assert results[0]["txid"] == entries[0][3]
            again = client.post("/sync/batch", json=writes[:1]).json()["results"]
            assert again == results[:1]
    finally:
        FAILING.discard("boom")
    assert len(log(engine)) == before + 1


def test_routes_are_found_from_the_openapi_document() -> None:
    """No database: the (table, op) → route mapping, with PUT as the update fallback, an
    object-valued x-sync, the table derived from the resource, and push paths left out."""
    from sync_patterns_fastapi.batch import BatchWrite, _path, _route_for, resources

    doc: dict[str, Any] = {
        "paths": {
            "/line-items": {"x-sync": {"mode": "live", "local_first": False}, "post": {}, "get": {}},
            "/accounts/{account_id}/line-items": {"x-sync": "live", "post": {}},
            "/line-items/{line_item_id}": {"x-sync": "live", "put": {}, "delete": {}},
            "/people": {"x-sync": "push", "post": {}},
            "/accounts/{account_id}/deals": {"x-sync": "live", "post": {}},
            "/v2/Contacts": {"post": {"x-sync": "confirmed", "x-sync-table": "crm_contacts"}},
        }
    }
    res = resources(doc)
    assert sorted(res) == ["crm_contacts", "deals", "line_items"]
    deal = BatchWrite("w", "deals", "insert", "d", {"accountId": "a/1"})
    t = _route_for(res, deal)
    assert not isinstance(t, Response) and _path(t, deal) == "/accounts/a%2F1/deals"
    w = BatchWrite("w", "line_items", "update", 7, {"quantity": 2})
    t = _route_for(res, w)
    assert not isinstance(t, Response) and (t.method, _path(t, w)) == ("PUT", "/line-items/7")
    ins_w = BatchWrite("w", "line_items", "insert", "k", {"accountId": "a/1"})
    t = _route_for(res, ins_w)
    assert not isinstance(t, Response) and (t.method, _path(t, ins_w)) == ("POST", "/line-items")
    assert isinstance(_route_for(res, BatchWrite("w", "crm_contacts", "delete", "1", None)), Response)
    assert isinstance(_route_for(res, BatchWrite("w", "people", "insert", "1", {})), Response)
