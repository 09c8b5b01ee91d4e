"""API conventions every operation follows (the spec lint and the answers): a readable
operationId, the shared error schema with a machine-readable code, 403 for an operation the
role may never use, 404 for a row outside the scope, 409 for a state that forbids the move,
and no English text from the validation library in a Chinese answer."""

from __future__ import annotations

import json
import re

import pytest

from admissions.models import Application
from core.errors import ERROR_CODES
from leasing.models import Invoice

pytestmark = pytest.mark.django_db


def _spec(client):
    return json.loads(client.get("/api/v1/openapi.json").content)


def test_every_operation_has_a_readable_id_and_the_error_schema(world, client_for):
    spec = _spec(client_for("admin"))
    ids = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            operation_id = op.get("operationId", "")
            assert re.fullmatch(r"[a-z]+(_[a-z]+)+", operation_id), (method, path, operation_id)
            assert "_api_" not in operation_id  # never derived from a module path
            assert len(op.get("description", "")) > 40, operation_id  # what, who, errors
            ids.append(operation_id)
            for status in ("401", "403", "404", "422"):
                assert status in op["responses"], (operation_id, status)
    assert len(ids) == len(set(ids))
    codes = spec["components"]["schemas"]["ErrorOut"]["properties"]["code"]
    assert set(codes["enum"]) == set(ERROR_CODES) and codes["description"]


def test_refusals_say_why_with_a_code(world, client_for):
    gov, operator = client_for("gov"), client_for("operator")
    never = gov.get("/api/v1/leasing/invoices")  # a reviewer never reads bills
    assert never.status_code == 403 and never.json()["code"] == "forbidden"
    outside = operator.get(f"/api/v1/leasing/invoices/{world.sample(Invoice, 'B').pk}")
    assert outside.status_code == 404 and outside.json()["code"] == "not_found"
    app = world.sample(Application)
    url = f"/api/v1/admissions/applications/{app.pk}/transition"
    unknown = gov.post(url, {"action": "approve"}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid"
    assert "submit" in unknown.json()["errors"]["action"][0]  # names the moves there are
    role = operator.post(url, {"action": "submit"}, content_type="application/json")
    assert role.status_code == 403 and role.json()["code"] == "action_not_allowed"
    state = gov.post(url, {"action": "to_risk"}, content_type="application/json")
    assert state.status_code == 403  # to_risk is the operator's move, whatever the state
    admin = client_for("admin").post(url, {"action": "to_review"}, content_type="application/json")
    assert admin.status_code == 409 and admin.json()["code"] == "wrong_state"


def test_validation_answers_carry_no_english_in_chinese(world, client_for):
    app = world.sample(Application)
    response = client_for("operator").post(
        f"/api/v1/admissions/applications/{app.pk}/convert",
        {"unit_ids": [], "start_on": "2026-01-01", "end_on": "2026-12-31", "rent_per_m2_day": "3"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.json()
    assert response.status_code == 422 and body["code"] == "invalid"
    text = json.dumps(body, ensure_ascii=False)
    assert not re.search(r"\b(should|List|Input|valid)\b", text), text
    assert "unit_ids" in body["errors"]


def test_an_application_lists_the_moves_its_reader_may_make(world, client_for):
    url = f"/api/v1/admissions/applications/{world.sample(Application).pk}"
    assert client_for("gov").get(url).json()["actions"] == ["submit", "withdraw"]  # its draft
    assert client_for("operator").get(url).json()["actions"] == []
    spec = _spec(client_for("admin"))["components"]["schemas"]
    moves = spec["TransitionIn"]["properties"]["action"]
    assert "enum" in json.dumps(moves) and "to_review" in json.dumps(moves)


STATUS_NAMES = {"state", "status", "kind", "method", "side", "grade", "channel", "use", "stage"}


def _is_enum(schema: dict, schemas: dict) -> bool:
    if "$ref" in schema:
        return _is_enum(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    options = schema.get("anyOf") or schema.get("allOf") or [schema]
    return any("enum" in o or ("$ref" in o and _is_enum(o, schemas)) for o in options)


def test_every_parameter_is_described_and_every_status_is_an_enum(world, client_for):
    spec = _spec(client_for("admin"))
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for op in operations.values():
            for parameter in op.get("parameters", []):
                text = parameter.get("description") or parameter["schema"].get("description")
                assert text, (op["operationId"], parameter["name"])
                if parameter["name"] in STATUS_NAMES:
                    assert _is_enum(parameter["schema"], schemas), (path, parameter["name"])
    for name, schema in schemas.items():
        for field, definition in schema.get("properties", {}).items():
            if field in STATUS_NAMES and definition.get("type") != "object":
                assert _is_enum(definition, schemas), (name, field)


def _accepts_number(schema: dict) -> bool:
    options = schema.get("anyOf") or [schema]
    return any(o.get("type") == "number" for o in options)


def test_no_input_accepts_a_float_for_a_decimal(world, client_for):
    spec = _spec(client_for("admin"))
    for name, schema in spec["components"]["schemas"].items():
        if name.endswith(("In", "Patch")):
            for field, definition in schema.get("properties", {}).items():
                assert not _accepts_number(definition), (name, field)
    lease_id = world.sample(Invoice).lease_id
    refused = client_for("operator").post(
        "/api/v1/leasing/payments",
        {"lease_id": lease_id, "received_on": "2026-01-20", "amount": 100.1},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "amount" in refused.json()["errors"]
    assert "6.50" in refused.json()["errors"]["amount"][0]  # says how to send it


def test_every_field_is_described_and_every_published_schema_used(world, client_for):
    spec = _spec(client_for("admin"))
    schemas = spec["components"]["schemas"]
    for name, schema in schemas.items():
        for field, definition in schema.get("properties", {}).items():
            assert definition.get("description"), (name, field)
    used = set(re.findall(r"#/components/schemas/(\w+)", json.dumps(spec["paths"])))
    while True:  # what the operations refer to, and what that refers to
        more = {
            m
            for n in used
            for m in re.findall(r"#/components/schemas/(\w+)", json.dumps(schemas[n]))
        }
        if more <= used:
            break
        used |= more
    assert set(schemas) == used


# The relations the API names; each is referred to by id, its code or name an extra field.
RELATIONS = {
    "park",
    "building",
    "floor",
    "unit",
    "lease",
    "enterprise",
    "operator",
    "jurisdiction",
    "industry",
    "tag",
}


def test_one_identifier_rule_and_one_path_style(world, client_for):
    spec = _spec(client_for("admin"))
    for path in spec["paths"]:
        assert not path.endswith("/"), path  # no trailing slash, anywhere
    for name, schema in spec["components"]["schemas"].items():
        fields = set(schema.get("properties", {}))
        for field in fields:
            single, plural = field in RELATIONS, field.removesuffix("s") in RELATIONS
            if single:  # a readable code or name beside the id, never instead of it
                assert f"{field}_id" in fields, (name, field)
            elif plural and field.endswith("s"):
                assert f"{field.removesuffix('s')}_ids" in fields, (name, field)
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            params = {p["name"] for p in op.get("parameters", [])}
            for param in params & RELATIONS:  # a code is accepted only beside the id
                assert f"{param}_id" in params, (method, path, param)
                described = next(p for p in op["parameters"] if p["name"] == param)
                assert "alternative" in described["description"], (path, param)


def test_a_filter_by_id_and_by_code_agree(world, client_for):
    operator = client_for("operator")
    park = world.sample(Application).park
    by_code = operator.get(f"/api/v1/spaces/units?park={park.code}&limit=500").json()["items"]
    by_id = operator.get(f"/api/v1/spaces/units?park_id={park.pk}&limit=500").json()["items"]
    assert by_code and [u["id"] for u in by_code] == [u["id"] for u in by_id]
    assert {u["park_id"] for u in by_id} == {park.pk}
    lease_bills = operator.get(f"/api/v1/leasing/invoices?lease_id={_any_lease(world).pk}")
    assert {b["lease_id"] for b in lease_bills.json()["items"]} == {_any_lease(world).pk}


def _any_lease(world):
    return world.sample(Invoice).lease


def test_every_role_reads_parks_public_facts_but_not_their_figures(world, client_for):
    for role in ("tenant", "fund", "gov", "operator"):
        parks = client_for(role).get("/api/v1/spaces/parks").json()["items"]
        assert parks, role
        assert {"id", "code", "name", "address", "offered_area_m2"} <= set(parks[0])
    tenant = client_for("tenant")
    assert tenant.get("/api/v1/spaces/units").status_code == 403
    assert tenant.get("/api/v1/leasing/occupancy").status_code == 403
    assert tenant.patch(
        f"/api/v1/spaces/parks/{parks[0]['id']}", "{}", content_type="application/json"
    ).status_code in (403, 404)


def test_no_two_api_schemas_share_a_name():
    """OpenAPI names a schema by its class name: two apps' ``SettingsOut`` would be one
    component, and one app's operations documented (and fuzzed) with the other's fields."""
    from ninja import Schema

    from core.registry import app_modules

    seen: dict[str, str] = {}
    for _app, module in app_modules("api"):
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Schema)
                and obj.__module__ == module.__name__
            ):
                assert obj.__name__ not in seen, (
                    obj.__name__,
                    seen.get(obj.__name__),
                    module.__name__,
                )
                seen[obj.__name__] = module.__name__
