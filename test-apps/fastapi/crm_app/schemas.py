"""The CRM's API models (Pydantic 2), named as in fixtures/crm/openapi.yaml."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

from pydantic import AnyUrl, BaseModel, ConfigDict, EmailStr, Field, PlainSerializer, WithJsonSchema

from sync_patterns_fastapi import OwnerOnly, SyncExclude, omittable

#: A decimal carried as a string on the wire (`type: string, format: decimal`), never a float.
DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda d: format(d, "f"), return_type=str),
    WithJsonSchema({"type": "string", "format": "decimal"}),
]
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1, json_schema_extra={"format": "int32"})]
Count = Annotated[int, Field(ge=0, le=2**31 - 1, json_schema_extra={"format": "int32"})]
Quantity = Annotated[int, Field(ge=1, le=2**31 - 1, json_schema_extra={"format": "int32"})]
ReadOnlyUuid = Annotated[uuid.UUID, Field(json_schema_extra={"readOnly": True})]
ReadOnlyTime = Annotated[datetime, Field(json_schema_extra={"readOnly": True})]
Name = Annotated[str, Field(min_length=1, max_length=100)]
LastName = Annotated[str | None, Field(max_length=100)]


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class HealthStatus(str, Enum):
    ok = "ok"


class Health(BaseModel):
    status: HealthStatus
    version: str = omittable()


class ContactStatus(str, Enum):
    """Where the contact is in the sales funnel."""

    lead = "lead"
    active = "active"
    churned = "churned"


class Contact(Orm):
    id: ReadOnlyUuid
    first_name: Name = Field(examples=["Ada"])
    last_name: LastName = Field(examples=["Lovelace"])
    email: EmailStr = Field(examples=["ada@example.com"])
    phone: str | None = Field(examples=["+44 20 7946 0000"])
    status: ContactStatus
    account_id: uuid.UUID | None = Field(
        description="The account this contact works for, if any."
    )
    tags: list[str]
    # Local-only: never sent by the client, never answered by the server (exclude=True).
    notes: Annotated[str, SyncExclude()] = Field(
        default=None,
        exclude=True,
        description="A private draft note. Stays on this device and is never sent to the server.",
    )
    created_at: ReadOnlyTime
    updated_at: ReadOnlyTime


class ContactCreate(BaseModel):
    first_name: Name
    last_name: LastName = None
    email: EmailStr
    phone: str | None = None
    status: ContactStatus = ContactStatus.lead
    account_id: uuid.UUID | None = None
    tags: list[str] = []


class ContactUpdate(BaseModel):
    """Every field is optional; absent fields are left unchanged."""

    first_name: Name = omittable()
    last_name: LastName = None
    email: EmailStr = omittable()
    phone: str | None = None
    status: ContactStatus = omittable()
    account_id: uuid.UUID | None = None
    tags: list[str] = omittable()


class Account(Orm):
    id: ReadOnlyUuid
    name: str = Field(min_length=1, examples=["Analytical Engines Ltd"])
    domain: str | None = Field(examples=["engines.example"])
    annual_revenue: DecimalString = Field(
        description="Yearly revenue in the account's reporting currency, as a decimal string."
    )
    employee_count: Count
    is_customer: bool
    owner_email: Annotated[EmailStr, OwnerOnly()] = Field(
        description="The sales rep who owns the account."
    )
    metadata: dict[str, Any] = Field(description="Free-form data imported from other tools.")
    created_at: ReadOnlyTime
    updated_at: ReadOnlyTime


class AccountCreate(BaseModel):
    name: str = Field(min_length=1)
    domain: str | None = None
    annual_revenue: DecimalString = Decimal("0.00")
    employee_count: Count = 0
    is_customer: bool = False
    owner_email: EmailStr
    metadata: dict[str, Any] = {}


class AccountUpdate(BaseModel):
    name: str = omittable(min_length=1)
    domain: str | None = None
    annual_revenue: DecimalString = omittable()
    employee_count: Count = omittable()
    is_customer: bool = omittable()
    owner_email: EmailStr = omittable()
    metadata: dict[str, Any] = omittable()


class Currency(str, Enum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"


class LineItem(Orm):
    id: ReadOnlyUuid
    account_id: uuid.UUID = Field(description="Set from the path on create.")
    description: str
    quantity: Quantity
    unit_price: DecimalString
    currency: Currency
    created_at: ReadOnlyTime


class LineItemList(BaseModel):
    data: list[LineItem]
    count: int = Field(description="Total number of line items on the account.")


class LineItemCreate(BaseModel):
    description: str
    quantity: Quantity
    unit_price: DecimalString
    currency: Currency


class LineItemUpdate(BaseModel):
    description: str = omittable()
    quantity: Quantity = omittable()
    unit_price: DecimalString = omittable()
    currency: Currency = omittable()


class Person(Orm):
    id: Annotated[int, Field(json_schema_extra={"readOnly": True, "format": "int64"})]
    full_name: str = Field(examples=["Grace Hopper"])
    title: str | None = Field(examples=["Rear Admiral"])
    avatar_url: AnyUrl = omittable()
    birthday: date = omittable()


class PersonInput(BaseModel):
    full_name: str
    title: str | None = None
    avatar_url: AnyUrl = omittable()
    birthday: date = omittable()


class PipelineReport(BaseModel):
    totals_by_status: dict[str, int] = Field(
        description="Number of contacts per status, keyed by status."
    )
    generated_at: datetime
