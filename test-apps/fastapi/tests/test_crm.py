"""The CRM app's REST behaviour on a real Postgres."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from crm_app.app import create_app


@pytest.fixture
def client(fresh_database: str) -> Iterator[TestClient]:
    with TestClient(create_app(fresh_database)) as c:
        yield c


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_contact_lifecycle(client: TestClient) -> None:
    r = client.post("/contacts", json={"first_name": "Ada", "email": "ada@example.com"}, headers=key())
    assert r.status_code == 201, r.text
    c = r.json()
    assert c["status"] == "lead" and c["tags"] == [] and c["last_name"] is None
    assert "notes" not in c  # x-sync-exclude: local-only, never answered
    assert r.headers["x-sync-txid"].isdigit()
    r = client.patch(f"/contacts/{c['id']}", json={"status": "active", "tags": ["vip"]}, headers=key())
    assert r.status_code == 200
    assert r.json()["status"] == "active" and r.json()["first_name"] == "Ada"
    assert r.json()["updated_at"] >= c["updated_at"]
    assert [x["id"] for x in client.get("/contacts", params={"status": "active"}).json()] == [c["id"]]
    assert client.get("/contacts", params={"q": "ADA@"}).json()[0]["id"] == c["id"]
    assert client.get("/contacts", params={"status": "lead"}).json() == []
    assert client.delete(f"/contacts/{c['id']}", headers=key()).status_code == 204
    r = client.get(f"/contacts/{c['id']}")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_patch_refuses_null_for_a_non_nullable_field(client: TestClient) -> None:
    c = client.post("/contacts", json={"first_name": "Ada", "email": "ada@example.com"}).json()
    r = client.patch(f"/contacts/{c['id']}", json={"first_name": None})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["fields"]] == ["$.first_name"]
    r = client.patch(f"/contacts/{c['id']}", json={"last_name": None})  # nullable: allowed
    assert r.status_code == 200


def test_validation_errors_name_each_field(client: TestClient) -> None:
    r = client.post("/contacts", json={"first_name": "", "email": "not-an-email", "status": "vip"})
    assert r.status_code == 422
    assert r.json()["error"] == "validation_failed"
    assert {f["field"] for f in r.json()["fields"]} == {"$.first_name", "$.email", "$.status"}
    r = client.get("/contacts/not-a-uuid")
    assert r.status_code == 422 and r.json()["fields"][0]["field"] == "path.contact_id"


def test_accounts_decimals_and_cascading_line_items(client: TestClient) -> None:
    a = client.post(
        "/accounts",
        json={"name": "Engines", "owner_email": "rep@example.com", "annual_revenue": "1250000.50"},
    ).json()
    assert a["annual_revenue"] == "1250000.50" and a["metadata"] == {} and a["employee_count"] == 0
    item = client.post(
        f"/accounts/{a['id']}/line-items",
        json={"description": "Licence", "quantity": 2, "unit_price": "499.00", "currency": "GBP"},
    )
    assert item.status_code == 201 and item.json()["account_id"] == a["id"]
    listed = client.get(f"/accounts/{a['id']}/line-items").json()
    assert listed["count"] == 1 and listed["data"][0]["unit_price"] == "499.00"
    r = client.post(
        f"/accounts/{uuid.uuid4()}/line-items",
        json={"description": "x", "quantity": 1, "unit_price": "1", "currency": "USD"},
    )
    assert r.status_code == 404
    assert client.delete(f"/accounts/{a['id']}").status_code == 204
    assert client.get(f"/line-items/{item.json()['id']}").status_code == 404


def test_people_are_plain_rest(client: TestClient) -> None:
    p = client.post("/people", json={"full_name": "Grace Hopper", "title": "Rear Admiral"}).json()
    assert isinstance(p["id"], int)
    r = client.put(f"/people/{p['id']}", json={"full_name": "Grace B. Hopper"})
    assert r.json()["title"] is None  # PUT replaces: omitted optional fields are cleared
    assert client.get("/reports/pipeline").json()["totals_by_status"] == {
        "lead": 0,
        "active": 0,
        "churned": 0,
    }
    assert client.get("/health").json() == {"status": "ok", "version": "1.4.0"}


def test_method_override_and_replay(client: TestClient) -> None:
    c = client.post("/contacts", json={"first_name": "Ada", "email": "ada@example.com"}).json()
    k = key()
    first = client.post(
        f"/contacts/{c['id']}",
        json={"first_name": "Augusta"},
        headers={**k, "X-HTTP-Method-Override": "PATCH"},
    )
    assert first.status_code == 200 and first.json()["first_name"] == "Augusta"
    again = client.patch(f"/contacts/{c['id']}", json={"first_name": "Augusta"}, headers=k)
    assert again.headers["x-sync-txid"] == first.headers["x-sync-txid"]
    assert again.headers["idempotency-replayed"] == "true"
