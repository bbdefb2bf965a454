"""The txid contract and idempotency keys against a real Postgres, with sync and async sessions.

Every write to ``notes`` is recorded by an AFTER trigger in ``note_log`` with the writing
transaction's ``pg_current_xact_id()``: that is what an Electric shape carries in
``headers.txids``, so the answered ``x-sync-txid`` must equal it.
"""
# No `from __future__ import annotations`: the routes use local `Db` aliases FastAPI must resolve.


import threading
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from sync_patterns_fastapi import (
    AsyncTransactions,
    NotFound,
    SyncRouter,
    Transactions,
    install,
)


class Base(DeclarativeBase):
    pass


class NoteRow(Base):
    __tablename__ = "notes"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    title: Mapped[str]


class NoteIn(BaseModel):
    title: str
    fail_after_write: bool = False
    commit_in_route: bool = False


class Note(BaseModel):
    id: uuid.UUID
    title: str


SETUP = """
CREATE TABLE IF NOT EXISTS note_log (seq bigserial PRIMARY KEY, op text, note_id uuid,
                                     txid text NOT NULL DEFAULT pg_current_xact_id()::xid::text);
CREATE OR REPLACE FUNCTION note_log_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO note_log (op, note_id) VALUES (TG_OP, COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS note_log_tg ON notes;
CREATE TRIGGER note_log_tg AFTER INSERT OR UPDATE OR DELETE ON notes
  FOR EACH ROW EXECUTE FUNCTION note_log_fn();
"""
# No `from __future__ import annotations`: the routes use local `Db` aliases FastAPI must resolve.


def sync_app(url: str) -> tuple[FastAPI, Transactions]:
    engine = create_engine(url, pool_size=10)
    Base.metadata.create_all(engine)
    with engine.begin() as c:
        c.exec_driver_sql(SETUP)
    tx = Transactions(engine)
    tx.create_tables()
    app = FastAPI()
    install(app)
    router = SyncRouter(sync="live", route_class=tx.route_class, prefix="/notes")
    Db = Annotated[Session, Depends(tx.session)]

    @router.post("", status_code=201)
    def create_note(body: NoteIn, db: Db) -> Note:
        row = NoteRow(title=body.title)
        db.add(row)
        if body.commit_in_route:
            db.commit()  # releases a savepoint only: the request's transaction goes on
        db.flush()
        if body.fail_after_write:
            raise NotFound("refused after the write")
        return Note(id=row.id, title=row.title)

    @router.patch("/{note_id}")
    def update_note(note_id: uuid.UUID, body: NoteIn, db: Db) -> Note:
        row = db.get(NoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        row.title = body.title
        return Note(id=row.id, title=row.title)

    @router.delete("/{note_id}", status_code=204)
    def delete_note(note_id: uuid.UUID, db: Db) -> Response:
        row = db.get(NoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        db.delete(row)
        return Response(status_code=204)

    @router.get("")
    def list_notes(db: Db) -> list[Note]:
        return [Note(id=r.id, title=r.title) for r in db.scalars(select(NoteRow))]

    app.include_router(router)
    return app, tx


def async_app(url: str) -> tuple[FastAPI, AsyncTransactions]:
    # Tables, trigger and key store are created by the sync app on the same database.
    engine = create_async_engine(url, pool_size=10)
    tx = AsyncTransactions(engine)
    app = FastAPI()
    install(app)
    router = SyncRouter(sync="live", route_class=tx.route_class, prefix="/notes")
    Db = Annotated[AsyncSession, Depends(tx.session)]

    @router.post("", status_code=201)
    async def create_note(body: NoteIn, db: Db) -> Note:
        row = NoteRow(title=body.title)
        db.add(row)
        if body.commit_in_route:
            await db.commit()
        await db.flush()
        if body.fail_after_write:
            raise NotFound("refused after the write")
        return Note(id=row.id, title=row.title)

    @router.patch("/{note_id}")
    async def update_note(note_id: uuid.UUID, body: NoteIn, db: Db) -> Note:
        row = await db.get(NoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        row.title = body.title
        return Note(id=row.id, title=row.title)

    @router.delete("/{note_id}", status_code=204)
    async def delete_note(note_id: uuid.UUID, db: Db) -> Response:
        row = await db.get(NoteRow, note_id)
        if row is None:
            raise NotFound(f"no note {note_id}")
        await db.delete(row)
        return Response(status_code=204)

    @router.get("")
    async def list_notes(db: Db) -> list[Note]:
        return [Note(id=r.id, title=r.title) for r in await db.scalars(select(NoteRow))]

    app.include_router(router)
    return app, tx


class Harness:
    def __init__(self, client: TestClient, url: str):
        self.client = client
        self.engine = create_engine(url)

    def log(self, note_id: str) -> list[tuple[str, str]]:
        with self.engine.connect() as c:
            rows = c.execute(
                text("SELECT op, txid FROM note_log WHERE note_id = :id ORDER BY seq"),
                {"id": note_id},
            )
            return [(r.op, r.txid) for r in rows]

    def count(self, title: str) -> int:
        with self.engine.connect() as c:
            return int(
                c.execute(text("SELECT count(*) FROM notes WHERE title = :t"), {"t": title}).scalar_one()
            )


@pytest.fixture(scope="module", params=["sync", "async"])
def h(request: pytest.FixtureRequest, database_url: str) -> Iterator[Harness]:
    sync, _ = sync_app(database_url)
    if request.param == "sync":
        app = sync
    else:
        app, _ = async_app(database_url)
    with TestClient(app) as client:
        yield Harness(client, database_url)


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:8]}"


def test_txid_is_the_writing_transactions_id(h: Harness) -> None:
    r = h.client.post("/notes", json={"title": unique("a")}, headers=key())
    assert r.status_code == 201
    note_id = r.json()["id"]
    assert h.log(note_id) == [("INSERT", r.headers["x-sync-txid"])]
    r2 = h.client.patch(f"/notes/{note_id}", json={"title": unique("b")}, headers=key())
    assert r2.status_code == 200
    assert h.log(note_id)[-1] == ("UPDATE", r2.headers["x-sync-txid"])
    assert r2.headers["x-sync-txid"] != r.headers["x-sync-txid"]
    r3 = h.client.delete(f"/notes/{note_id}", headers=key())
    assert r3.status_code == 204
    assert h.log(note_id)[-1] == ("DELETE", r3.headers["x-sync-txid"])


def test_a_commit_inside_the_route_does_not_end_the_request_transaction(h: Harness) -> None:
    r = h.client.post("/notes", json={"title": unique("c"), "commit_in_route": True}, headers=key())
    assert r.status_code == 201
    assert h.log(r.json()["id"]) == [("INSERT", r.headers["x-sync-txid"])]


def test_writes_without_a_key_still_answer_the_txid(h: Harness) -> None:
    r = h.client.post("/notes", json={"title": unique("d")})
    assert r.status_code == 201
    assert h.log(r.json()["id"]) == [("INSERT", r.headers["x-sync-txid"])]


def test_reads_answer_no_txid(h: Harness) -> None:
    r = h.client.get("/notes")
    assert r.status_code == 200 and "x-sync-txid" not in r.headers


def test_a_replay_answers_the_first_result_and_writes_nothing(h: Harness) -> None:
    title, k = unique("e"), key()
    first = h.client.post("/notes", json={"title": title}, headers=k)
    again = h.client.post("/notes", json={"title": title}, headers=k)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["x-sync-txid"] == first.headers["x-sync-txid"]
    assert again.headers["idempotency-replayed"] == "true"
    assert "idempotency-replayed" not in first.headers
    assert h.count(title) == 1
    assert len(h.log(first.json()["id"])) == 1


def test_a_replayed_delete_answers_204_again(h: Harness) -> None:
    note = h.client.post("/notes", json={"title": unique("f")}).json()
    k = key()
    first = h.client.delete(f"/notes/{note['id']}", headers=k)
    again = h.client.delete(f"/notes/{note['id']}", headers=k)
    assert first.status_code == again.status_code == 204
    assert again.headers["x-sync-txid"] == first.headers["x-sync-txid"]
    assert again.content == b""


def test_concurrent_requests_with_one_key_write_once(h: Harness) -> None:
    title, k = unique("g"), key()
    results: list[Any] = []

    def send() -> None:
        results.append(h.client.post("/notes", json={"title": title}, headers=k))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r.status_code for r in results} == {201}
    assert len({r.json()["id"] for r in results}) == 1
    assert len({r.headers["x-sync-txid"] for r in results}) == 1
    assert h.count(title) == 1


def test_a_refused_write_is_rolled_back_and_its_key_stays_free(h: Harness) -> None:
    title, k = unique("h"), key()
    r = h.client.post("/notes", json={"title": title, "fail_after_write": True}, headers=k)
    assert r.status_code == 404 and "x-sync-txid" not in r.headers
    assert h.count(title) == 0
    # The key was not consumed by the refusal: the corrected retry applies.
    r = h.client.post("/notes", json={"title": title}, headers=k)
    assert r.status_code == 201 and h.count(title) == 1


def test_a_key_reused_for_another_operation_is_422(h: Harness) -> None:
    k = key()
    note = h.client.post("/notes", json={"title": unique("i")}, headers=k).json()
    r = h.client.patch(f"/notes/{note['id']}", json={"title": "x"}, headers=k)
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"] == "header.Idempotency-Key"
    assert "first used for POST /notes" in r.json()["fields"][0]["message"]


def test_a_malformed_key_is_422(h: Harness) -> None:
    r = h.client.post("/notes", json={"title": "x"}, headers={"Idempotency-Key": "a b"})
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"] == "header.Idempotency-Key"


def test_404_on_a_missing_row(h: Harness) -> None:
    r = h.client.patch(f"/notes/{uuid.uuid4()}", json={"title": "x"}, headers=key())
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_expired_keys_are_purged(database_url: str) -> None:
    _, tx = sync_app(database_url)
    with tx.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO sync_idempotency_keys (key, method, path, status, created_at) "
                "VALUES ('old-key', 'POST', '/notes', 201, now() - interval '25 hours')"
            )
        )
    assert tx.purge_expired_keys() >= 1
    with tx.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM sync_idempotency_keys WHERE key = 'old-key'")).scalar_one() == 0
