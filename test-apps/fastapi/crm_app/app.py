"""The CRM of fixtures/crm/openapi.yaml as a FastAPI + SQLAlchemy 2 app on Postgres.

``create_app(database_url)`` builds it; ``create_app(url, broken=...)`` builds one of the two
deliberately broken variants that ``sync-patterns check-backend`` must catch:

- ``"wrong-txid"`` answers the txid of *another* transaction (the classic bug: reading
  ``pg_current_xact_id()`` on a fresh connection after the write committed);
- ``"double-write"`` loses the ``Idempotency-Key`` before the route sees it, so a replayed write
  is applied a second time.
"""

# No `from __future__ import annotations`: FastAPI must see the local `Db` alias itself.

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, create_engine, func, inspect, or_, select, text
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_patterns_fastapi import (
    EXPOSE_HEADERS,
    NotFound,
    SyncRouter,
    Transactions,
    install,
    not_found_response,
    omittable,
    route_operation_ids,
    validation_failed_response,
)

from .models import AccountRow, Base, ContactRow, LineItemRow, PersonRow
from .schemas import (
    Account,
    AccountCreate,
    AccountUpdate,
    Contact,
    ContactCreate,
    ContactStatus,
    ContactUpdate,
    Health,
    LineItem,
    LineItemCreate,
    LineItemList,
    LineItemUpdate,
    Person,
    PersonInput,
    PipelineReport,
)

Broken = Literal["wrong-txid", "double-write"]
VERSION = "1.4.0"

NOT_FOUND = {404: not_found_response()}
INVALID = {422: validation_failed_response("The request body is invalid.")}
bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth", bearerFormat="JWT")


def sqlalchemy_url(url: str) -> str:
    """postgres://… or postgresql://… → the psycopg 3 driver URL SQLAlchemy needs."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"not a Postgres URL: {url!r}")


def row_dict(row: Any) -> dict[str, Any]:
    """An ORM row as {column name: value} (column names are the API's wire names)."""
    mapper = inspect(row).mapper
    return {attr.columns[0].name: getattr(row, attr.key) for attr in mapper.column_attrs}


def apply_patch(row: Any, patch: dict[str, Any]) -> None:
    mapper = inspect(row).mapper
    by_column = {attr.columns[0].name: attr.key for attr in mapper.column_attrs}
    for name, value in patch.items():
        setattr(row, by_column[name], value)


def create_schema(engine: Engine, tx: Transactions) -> None:
    Base.metadata.create_all(engine)
    tx.create_tables()


def build_routers(tx: Transactions) -> list[APIRouter]:
    Db = Annotated[Session, Depends(tx.session)]
    ContactId = Annotated[uuid.UUID, Path(description="The contact's id.")]
    AccountId = Annotated[uuid.UUID, Path(description="The account's id.")]

    def get_or_404(db: Session, model: type[Any], key: Any, what: str) -> Any:
        row = db.get(model, key)
        if row is None:
            raise NotFound(f"no {what} {key}")
        return row

    # ----- contacts: live, optimistic writes -----
    contacts = SyncRouter(sync="live", route_class=tx.route_class, tags=["Contacts"])

    @contacts.get("/contacts", summary="List contacts")
    def list_contacts(
        db: Db,
        status: ContactStatus = Query(None, description="Only return contacts with this status."),
        q: str = Query(None, description="Case-insensitive search over name and email."),
    ) -> list[Contact]:
        stmt = select(ContactRow).order_by(ContactRow.created_at, ContactRow.id)
        if status is not None:
            stmt = stmt.where(ContactRow.status == status.value)
        if q:
            like = f"%{q}%"
            stmt = stmt.where(
                or_(
                    ContactRow.first_name.ilike(like),
                    ContactRow.last_name.ilike(like),
                    ContactRow.email.ilike(like),
                )
            )
        return [Contact.model_validate(row_dict(r)) for r in db.scalars(stmt)]

    @contacts.post("/contacts", status_code=201, summary="Create a contact", responses=INVALID)
    def create_contact(body: ContactCreate, db: Db) -> Contact:
        values = body.model_dump(mode="json")
        row = ContactRow(**values)
        db.add(row)
        db.flush()
        db.refresh(row)
        return Contact.model_validate(row_dict(row))

    @contacts.get("/contacts/{contact_id}", summary="Get a contact", responses=NOT_FOUND)
    def get_contact(contact_id: ContactId, db: Db) -> Contact:
        return Contact.model_validate(row_dict(get_or_404(db, ContactRow, contact_id, "contact")))

    @contacts.patch(
        "/contacts/{contact_id}",
        summary="Update a contact",
        description="Only the fields present in the body are changed.",
        responses={**NOT_FOUND, **INVALID},
    )
    def update_contact(contact_id: ContactId, body: ContactUpdate, db: Db) -> Contact:
        row = get_or_404(db, ContactRow, contact_id, "contact")
        apply_patch(row, body.model_dump(mode="json", exclude_unset=True))
        db.flush()
        db.refresh(row)
        return Contact.model_validate(row_dict(row))

    @contacts.delete(
        "/contacts/{contact_id}", status_code=204, summary="Delete a contact", responses=NOT_FOUND
    )
    def delete_contact(contact_id: ContactId, db: Db) -> Response:
        db.delete(get_or_404(db, ContactRow, contact_id, "contact"))
        return Response(status_code=204)

    # ----- accounts: live, confirmed writes -----
    accounts = SyncRouter(sync="confirmed", route_class=tx.route_class, tags=["Accounts"])

    @accounts.get("/accounts", summary="List accounts")
    def list_accounts(db: Db, is_customer: bool = Query(None)) -> list[Account]:
        stmt = select(AccountRow).order_by(AccountRow.created_at, AccountRow.id)
        if is_customer is not None:
            stmt = stmt.where(AccountRow.is_customer == is_customer)
        return [Account.model_validate(row_dict(r)) for r in db.scalars(stmt)]

    @accounts.post("/accounts", status_code=201, summary="Create an account", responses=INVALID)
    def create_account(body: AccountCreate, db: Db) -> Account:
        values = body.model_dump()
        values["metadata_"] = values.pop("metadata")
        row = AccountRow(**values)
        db.add(row)
        db.flush()
        db.refresh(row)
        return Account.model_validate(row_dict(row))

    @accounts.get("/accounts/{account_id}", summary="Get an account", responses=NOT_FOUND)
    def get_account(account_id: AccountId, db: Db) -> Account:
        return Account.model_validate(row_dict(get_or_404(db, AccountRow, account_id, "account")))

    @accounts.patch(
        "/accounts/{account_id}", summary="Update an account", responses={**NOT_FOUND, **INVALID}
    )
    def update_account(account_id: AccountId, body: AccountUpdate, db: Db) -> Account:
        row = get_or_404(db, AccountRow, account_id, "account")
        apply_patch(row, body.model_dump(exclude_unset=True))
        db.flush()
        db.refresh(row)
        return Account.model_validate(row_dict(row))

    @accounts.delete(
        "/accounts/{account_id}",
        status_code=204,
        summary="Delete an account",
        description="Also deletes the account's line items.",
        responses=NOT_FOUND,
    )
    def delete_account(account_id: AccountId, db: Db) -> Response:
        row = get_or_404(db, AccountRow, account_id, "account")
        # Explicit, so that each line item's delete is a change on its shape in this transaction.
        for item in db.scalars(select(LineItemRow).where(LineItemRow.account_id == account_id)):
            db.delete(item)
        db.flush()
        db.delete(row)
        return Response(status_code=204)

    # ----- line items: live, optimistic writes -----
    line_items = SyncRouter(sync="live", route_class=tx.route_class, tags=["Line items"])

    @line_items.get(
        "/accounts/{account_id}/line-items",
        summary="List an account's line items",
        responses=NOT_FOUND,
    )
    def list_line_items(account_id: AccountId, db: Db) -> LineItemList:
        get_or_404(db, AccountRow, account_id, "account")
        rows = db.scalars(
            select(LineItemRow)
            .where(LineItemRow.account_id == account_id)
            .order_by(LineItemRow.created_at, LineItemRow.id)
        ).all()
        return LineItemList(data=[LineItem.model_validate(row_dict(r)) for r in rows], count=len(rows))

    @line_items.post(
        "/accounts/{account_id}/line-items",
        status_code=201,
        summary="Add a line item to an account",
        responses={**NOT_FOUND, **INVALID},
    )
    def create_line_item(account_id: AccountId, body: LineItemCreate, db: Db) -> LineItem:
        get_or_404(db, AccountRow, account_id, "account")
        row = LineItemRow(account_id=account_id, **body.model_dump())
        db.add(row)
        db.flush()
        db.refresh(row)
        return LineItem.model_validate(row_dict(row))

    @line_items.get("/line-items/{line_item_id}", summary="Get a line item", responses=NOT_FOUND)
    def get_line_item(line_item_id: uuid.UUID, db: Db) -> LineItem:
        return LineItem.model_validate(
            row_dict(get_or_404(db, LineItemRow, line_item_id, "line item"))
        )

    @line_items.patch(
        "/line-items/{line_item_id}",
        summary="Update a line item",
        responses={**NOT_FOUND, **INVALID},
    )
    def update_line_item(line_item_id: uuid.UUID, body: LineItemUpdate, db: Db) -> LineItem:
        row = get_or_404(db, LineItemRow, line_item_id, "line item")
        apply_patch(row, body.model_dump(exclude_unset=True))
        db.flush()
        db.refresh(row)
        return LineItem.model_validate(row_dict(row))

    @line_items.delete(
        "/line-items/{line_item_id}",
        status_code=204,
        summary="Delete a line item",
        responses=NOT_FOUND,
    )
    def delete_line_item(line_item_id: uuid.UUID, db: Db) -> Response:
        db.delete(get_or_404(db, LineItemRow, line_item_id, "line item"))
        return Response(status_code=204)

    # ----- people: push -----
    def person_out(row: PersonRow) -> Person:
        # avatar_url and birthday may be absent but are never null on the wire: leave them unset.
        values = {k: v for k, v in row_dict(row).items() if v is not None or k == "title"}
        return Person.model_validate(values)

    def person_values(body: PersonInput) -> dict[str, Any]:
        # Every field (PUT replaces: omitted ones are cleared), without serialising unset Nones.
        values = dict.fromkeys(PersonInput.model_fields) | body.model_dump(exclude_unset=True)
        values["avatar_url"] = None if body.avatar_url is None else str(body.avatar_url)
        return values

    people = SyncRouter(sync="push", route_class=tx.route_class, tags=["People"])
    Unset = {"response_model_exclude_unset": True}

    @people.get("/people", summary="List the team directory", **Unset)
    def list_people(db: Db) -> list[Person]:
        return [person_out(r) for r in db.scalars(select(PersonRow).order_by(PersonRow.id))]

    @people.post(
        "/people",
        status_code=201,
        summary="Add someone to the directory",
        responses=INVALID,
        **Unset,
    )
    def create_person(body: PersonInput, db: Db) -> Person:
        row = PersonRow(**person_values(body))
        db.add(row)
        db.flush()
        return person_out(row)

    @people.get("/people/{person_id}", summary="Get a person", responses=NOT_FOUND, **Unset)
    def get_person(person_id: int, db: Db) -> Person:
        return person_out(get_or_404(db, PersonRow, person_id, "person"))

    @people.put(
        "/people/{person_id}",
        summary="Replace a person",
        description="Every field is replaced; omitted optional fields are cleared.",
        responses={**NOT_FOUND, **INVALID},
        **Unset,
    )
    def replace_person(person_id: int, body: PersonInput, db: Db) -> Person:
        row = get_or_404(db, PersonRow, person_id, "person")
        apply_patch(row, person_values(body))
        db.flush()
        return person_out(row)

    @people.delete(
        "/people/{person_id}", status_code=204, summary="Remove a person", responses=NOT_FOUND
    )
    def delete_person(person_id: int, db: Db) -> Response:
        db.delete(get_or_404(db, PersonRow, person_id, "person"))
        return Response(status_code=204)

    # ----- reports and health: not entities -----
    reports = APIRouter(route_class=tx.route_class, tags=["Reports"])

    @reports.get(
        "/reports/pipeline",
        summary="Pipeline report",
        description="Contact counts by status, computed on request.",
    )
    def get_pipeline_report(db: Db) -> PipelineReport:
        counts = db.execute(
            select(ContactRow.status, func.count()).group_by(ContactRow.status)
        ).all()
        totals = {s.value: 0 for s in ContactStatus} | {s: int(n) for s, n in counts}
        return PipelineReport(totals_by_status=totals, generated_at=datetime.now(UTC))

    return [contacts, accounts, line_items, people, reports]


TAGS = [
    {"name": "Contacts", "description": "People the sales team talks to."},
    {"name": "Accounts", "description": "Companies, with their revenue and line items."},
    {"name": "Line items", "description": "Products sold to an account."},
    {"name": "People", "description": "The internal team directory."},
    {"name": "Reports", "description": "Read-only aggregates."},
    {"name": "System", "description": "Service health."},
]


def create_app(
    database_url: str,
    *,
    broken: Broken | None = None,
    create_tables: bool = True,
    engine: Engine | None = None,
) -> FastAPI:
    engine = engine or create_engine(sqlalchemy_url(database_url), pool_size=10, pool_pre_ping=True)
    tx = Transactions(engine)
    if create_tables:
        create_schema(engine, tx)
    app = FastAPI(
        title="Acme CRM API",
        version=VERSION,
        summary="Contacts, accounts and deals for a small sales team.",
        description="The CRM of fixtures/crm, served by FastAPI with sync-patterns-fastapi.",
        servers=[{"url": "http://localhost:4100", "description": "Local development server"}],
        openapi_tags=TAGS,
        generate_unique_id_function=route_operation_ids,
        separate_input_output_schemas=False,
    )
    install(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=EXPOSE_HEADERS,
    )

    @app.get("/health", summary="Health check", tags=["System"])
    def get_health() -> Health:
        return Health(status="ok", version=VERSION)

    for router in build_routers(tx):
        app.include_router(router, dependencies=[Depends(bearer)])

    if broken == "wrong-txid":
        app.add_middleware(WrongTxid, engine=engine)
    elif broken == "double-write":
        app.add_middleware(ForgetIdempotencyKey)
    app.state.engine = engine
    app.state.transactions = tx
    return app


class WrongTxid:
    """BROKEN ON PURPOSE: replaces x-sync-txid with a txid read in another transaction."""

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_wrong(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message["headers"] if k != b"x-sync-txid"]
                if len(headers) != len(message["headers"]):
                    with self.engine.begin() as c:
                        wrong = c.execute(text("SELECT pg_current_xact_id()::xid::text")).scalar_one()
                    headers.append((b"x-sync-txid", str(wrong).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_wrong)


class ForgetIdempotencyKey:
    """BROKEN ON PURPOSE: drops the Idempotency-Key header, so replays write again."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers: Sequence[tuple[bytes, bytes]] = scope["headers"]
            scope = {**scope, "headers": [(k, v) for k, v in headers if k != b"idempotency-key"]}
        await self.app(scope, receive, send)
