from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel, EmailStr, Field

from sync_patterns_fastapi import NotFound, field_path, install


class Item(BaseModel):
    name: str = Field(min_length=1)
    email: EmailStr
    tags: list[str] = []


def make_app() -> FastAPI:
    app = FastAPI()
    install(app)

    @app.post("/items/{item_id}")
    def create(item_id: int, body: Item, limit: Annotated[int, Query(ge=1)] = 1) -> Item:
        return body

    @app.get("/items/{item_id}")
    def get(item_id: int) -> Item:
        raise NotFound(f"no item {item_id}")

    @app.get("/teapot")
    def teapot() -> None:
        raise HTTPException(status_code=409, detail="already brewing")

    @app.patch("/items/{item_id}")
    def patch(item_id: int) -> dict[str, str]:
        return {"method": "PATCH"}

    @app.delete("/items/{item_id}")
    def delete(item_id: int) -> dict[str, str]:
        return {"method": "DELETE"}

    return app


client = TestClient(make_app())


def test_body_errors_are_listed_per_field_with_json_paths() -> None:
    r = client.post("/items/1", json={"name": "", "email": "nope", "tags": ["a", 3]})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "validation_failed"
    fields = {f["field"]: f["message"] for f in body["fields"]}
    assert set(fields) == {"$.name", "$.email", "$.tags[1]"}
    assert "at least 1 character" in fields["$.name"]
    assert body["message"].startswith("3 problems: ")


def test_missing_fields_say_required() -> None:
    r = client.post("/items/1", json={"name": "x"})
    assert r.json()["fields"] == [{"field": "$.email", "message": "is required"}]


def test_parameter_errors_name_the_parameter() -> None:
    r = client.post("/items/abc?limit=0", json={"name": "x", "email": "a@b.example"})
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["fields"]} == {"path.item_id", "query.limit"}


def test_other_errors_have_a_stable_code_and_message() -> None:
    r = client.get("/items/7")
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "message": "no item 7"}
    r = client.get("/teapot")
    assert r.json() == {"error": "conflict", "message": "already brewing"}
    r = client.get("/nowhere")
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_method_override_turns_post_into_patch_or_delete() -> None:
    r = client.post("/items/1", headers={"X-HTTP-Method-Override": "PATCH"})
    assert r.json() == {"method": "PATCH"}
    r = client.post("/items/1", headers={"x-http-method-override": "delete"})
    assert r.json() == {"method": "DELETE"}
    # GET is not an override target: the POST route runs (and validates its body).
    r = client.post("/items/1", headers={"X-HTTP-Method-Override": "GET"})
    assert r.status_code == 422


def test_field_path_quotes_odd_keys() -> None:
    assert field_path(("body",)) == "$"
    assert field_path(("body", "a-b", 0, "c")) == '$["a-b"][0].c'
    assert field_path(("header", "If-Match")) == "header.If-Match"
