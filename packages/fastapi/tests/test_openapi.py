from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from sync_patterns_fastapi import (
    OwnerOnly,
    SyncAnnotationError,
    SyncExclude,
    SyncRouter,
    confirmed,
    install,
    live,
    not_found_response,
    omittable,
    owner_only,
    push,
    route_operation_ids,
    sync_bind,
    sync_exclude,
    sync_extra,
    validation_failed_response,
)


class Status(BaseModel):
    code: str


class Note(BaseModel):
    id: str
    title: str
    draft: Annotated[str | None, SyncExclude()] = None
    owner: Annotated[str, OwnerOnly()]
    status: Annotated[Status | None, SyncExclude()] = None
    secret: str = Field(json_schema_extra=owner_only())
    scratch: str | None = Field(default=None, json_schema_extra=sync_exclude())


class Patch(BaseModel):
    name: str = omittable(min_length=1)
    note: str | None = None


class NoteIn(BaseModel):
    title: str = Field(min_length=1)


def make_app() -> FastAPI:
    app = FastAPI(generate_unique_id_function=route_operation_ids)
    install(app)
    notes = SyncRouter(sync="live", table="app_notes", prefix="/notes")

    @notes.get("", response_model=list[Note])
    def list_notes() -> list[Note]:
        return []

    @notes.post("", status_code=201, responses={422: validation_failed_response()})
    def create_note(body: NoteIn) -> Note:
        raise NotImplementedError

    @notes.patch("/{note_id}", responses={404: not_found_response()})
    def update_note(
        note_id: str,
        body: NoteIn,
        if_match: Annotated[
            str | None, Header(alias="If-Match", json_schema_extra=sync_bind("updated_at"))
        ] = None,
    ) -> Note:
        raise NotImplementedError

    accounts = SyncRouter(sync="confirmed", prefix="/accounts")

    @accounts.get("")
    def list_accounts() -> list[str]:
        return []

    people = SyncRouter(sync="push", prefix="/people")

    @people.get("")
    def list_people() -> list[str]:
        return []

    app.include_router(notes)
    app.include_router(accounts)
    app.include_router(people)

    @app.get("/health")
    def get_health() -> dict[str, str]:
        return {"status": "ok"}

    return app


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return TestClient(make_app()).get("/openapi.json").json()


def test_sync_mode_and_table_are_on_the_path_item(doc: dict[str, Any]) -> None:
    notes = doc["paths"]["/notes"]
    assert notes["x-sync"] == "live"
    assert notes["x-sync-table"] == "app_notes"
    assert "x-sync" not in notes["get"] and "x-sync" not in notes["post"]
    assert doc["paths"]["/notes/{note_id}"]["x-sync"] == "live"
    assert doc["paths"]["/accounts"]["x-sync"] == {"mode": "live", "local_first": False}
    assert "x-sync-table" not in doc["paths"]["/accounts"]
    assert doc["paths"]["/people"]["x-sync"] == "push"
    assert "x-sync" not in doc["paths"]["/health"]


def test_field_markers_reach_the_schema(doc: dict[str, Any]) -> None:
    props = doc["components"]["schemas"]["Note"]["properties"]
    assert props["draft"]["x-sync-exclude"] is True
    assert props["scratch"]["x-sync-exclude"] is True
    assert props["owner"]["x-owner-only"] is True
    assert props["secret"]["x-owner-only"] is True
    assert props["status"]["x-sync-exclude"] is True
    # The marker is on the property, never on the shared definition it references.
    assert "x-sync-exclude" not in doc["components"]["schemas"]["Status"]
    assert "x-sync-exclude" not in props["title"] and "x-owner-only" not in props["id"]


def test_sync_bind_is_a_map_on_the_operation(doc: dict[str, Any]) -> None:
    patch = doc["paths"]["/notes/{note_id}"]["patch"]
    assert patch["x-sync-bind"] == {"If-Match": "updated_at"}
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert "x-sync-bind" not in if_match and "x-sync-bind" not in if_match["schema"]


def test_operation_ids_are_camel_case_function_names(doc: dict[str, Any]) -> None:
    assert doc["paths"]["/notes"]["get"]["operationId"] == "listNotes"
    assert doc["paths"]["/notes/{note_id}"]["patch"]["operationId"] == "updateNote"


def test_fastapi_422_is_replaced_by_the_field_error_shape(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ValidationError"]["required"] == ["error", "message", "fields"]
    assert "loc" not in str(schemas["ValidationError"])
    patch_422 = doc["paths"]["/notes/{note_id}"]["patch"]["responses"]["422"]
    ref = patch_422["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ValidationError"
    assert "HTTPValidationError" not in str(doc["paths"])
    assert schemas["Error"]["required"] == ["error", "message"]


def test_disagreeing_routes_of_one_path_are_an_error() -> None:
    app = FastAPI()
    install(app)

    @app.get("/things", openapi_extra=live())
    def list_things() -> list[str]:
        return []

    @app.post("/things", openapi_extra=push())
    def create_thing() -> str:
        return ""

    with pytest.raises(SyncAnnotationError, match=r"paths\./things.*x-sync"):
        app.openapi()


def test_a_route_without_annotation_beside_an_annotated_one_inherits_the_path_mode() -> None:
    app = FastAPI()
    install(app)

    @app.get("/things", openapi_extra=confirmed())
    def list_things() -> list[str]:
        return []

    @app.post("/things")
    def create_thing() -> str:
        return ""

    item = app.openapi()["paths"]["/things"]
    assert item["x-sync"] == {"mode": "live", "local_first": False}


def test_bad_mode_and_table_are_refused_at_declaration() -> None:
    with pytest.raises(ValueError, match="unknown sync mode 'cache'"):
        sync_extra("cache")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x-sync-table"):
        live(table="drop table; --")


def test_omittable_fields_are_optional_but_not_nullable() -> None:
    from pydantic import ValidationError

    app = FastAPI()
    install(app)

    @app.patch("/things/{thing_id}")
    def update_thing(thing_id: int, body: Patch) -> Patch:
        return body

    schema = app.openapi()["components"]["schemas"]["Patch"]
    assert schema["properties"]["name"] == {"type": "string", "minLength": 1, "title": "Name"}
    assert "required" not in schema
    assert {"type": "null"} in schema["properties"]["note"]["anyOf"]
    assert Patch().model_dump(exclude_unset=True) == {}
    with pytest.raises(ValidationError):
        Patch.model_validate({"name": None})


def test_null_defaults_on_non_nullable_schemas_are_dropped() -> None:
    from sync_patterns_fastapi import postprocess_openapi

    doc = {
        "paths": {},
        "components": {
            "schemas": {
                "P": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "default": None},
                        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
                        "size": {"type": "integer", "default": 3},
                    },
                }
            }
        },
    }
    props = postprocess_openapi(doc)["components"]["schemas"]["P"]["properties"]
    assert "default" not in props["name"]
    assert props["note"]["default"] is None
    assert props["size"]["default"] == 3
