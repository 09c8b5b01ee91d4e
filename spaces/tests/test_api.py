"""The spaces API: CRUD through the services, filters, keyset pages, error shape."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.audit import entries_for
from core.tokens import token_create
from spaces.models import Floor, Unit
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/spaces/units"


def bearer(world, role):
    _token, key = token_create(actor=world.users[role], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_update_delete_unit_with_token(world, client):
    headers = bearer(world, "operator")
    floor = world.sample(Floor)
    body = {
        "floor_id": floor.pk,
        "code": "a-777",
        "use": "lab",
        "area_m2": "250.5",
        "clear_height_m": "7.2",
        "floor_load_kn_m2": "8",
        "power_kva": "120",
        "list_rent": "4.10",
    }
    created = client.post(UNITS, json.dumps(body), content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["code"] == "A-777" and data["park"] == "PA" and data["area_m2"] == "250.50"
    unit = Unit.objects.get(pk=data["id"])
    assert entries_for(unit).get().actor == world.users["operator"]

    patched = client.patch(
        f"{UNITS}/{unit.pk}",
        json.dumps({"list_rent": "4.5"}),
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 200 and patched.json()["list_rent"] == "4.50"
    assert entries_for(unit).first().changes == {"list_rent": ["4.1", "4.5"]}

    deleted = client.delete(f"{UNITS}/{unit.pk}", **headers)
    assert deleted.status_code == 204
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_validation_errors_name_the_field_in_chinese(world, client):
    body = {
        "floor_id": world.sample(Floor).pk,
        "code": "X",
        "use": "lab",
        "area_m2": "0",
        "clear_height_m": "31",
        "floor_load_kn_m2": "8",
        "power_kva": "1",
        "list_rent": "1",
    }
    response = client.post(
        UNITS, json.dumps(body), content_type="application/json", **bearer(world, "operator")
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["area_m2"] == ["必须大于 0。"]
    assert errors["clear_height_m"] == ["不能大于 30。"]
    assert not Unit.objects.filter(code="X").exists()


def test_english_errors_on_request(world, client):
    response = client.post(
        UNITS,
        "{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world, "operator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"]["code"] == ["This field is required."]


def test_duplicate_code_is_422_from_model_validation(world, client):
    unit = world.sample(Unit)
    body = {
        "floor_id": unit.floor_id,
        "code": unit.code,
        "use": "lab",
        "area_m2": "1",
        "clear_height_m": "3",
        "floor_load_kn_m2": "1",
        "power_kva": "1",
        "list_rent": "1",
    }
    response = client.post(
        UNITS, json.dumps(body), content_type="application/json", **bearer(world, "operator")
    )
    assert response.status_code == 422
    assert "__all__" in response.json()["errors"]


def test_foreign_key_outside_scope_is_a_field_error(world, client):
    body = {
        "floor_id": world.sample(Floor, "B").pk,
        "code": "Z",
        "use": "lab",
        "area_m2": "1",
        "clear_height_m": "3",
        "floor_load_kn_m2": "1",
        "power_kva": "1",
        "list_rent": "1",
    }
    response = client.post(
        UNITS, json.dumps(body), content_type="application/json", **bearer(world, "operator")
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["floor_id"]
    assert not Unit.objects.filter(code="Z").exists()


def test_delete_with_dependents_is_409(world, client):
    response = client.delete(
        f"/api/v1/spaces/floors/{world.sample(Floor).pk}", **bearer(world, "operator")
    )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_unit_search_filters(world, client):
    floor = world.sample(Floor)
    make_unit(
        floor,
        "BIG",
        area_m2=Decimal("5000"),
        clear_height_m=Decimal("12"),
        floor_load_kn_m2=Decimal("30"),
        power_kva=Decimal("800"),
    )
    make_unit(floor, "SMALL", area_m2=Decimal("80"), clear_height_m=Decimal("3"), use="office")
    make_unit(floor, "LATER", status="leased", available_from="2027-03-01")
    headers = bearer(world, "admin")

    def codes(query):
        response = client.get(f"{UNITS}?{query}", **headers)
        assert response.status_code == 200, response.content
        return sorted(item["code"] for item in response.json()["items"])

    assert codes("park=pa&clear_height_min=10") == ["BIG"]
    assert codes("park=PA&area_min=100&area_max=1000") == ["A-101", "LATER"]
    assert codes("park=PA&use=office") == ["SMALL"]
    assert codes("floor_load_min=20&power_min=500") == ["BIG"]
    assert codes("park=PA&available_on=2027-01-01") == ["A-101", "BIG", "SMALL"]
    assert codes("park=PA&available_on=2027-03-01") == ["A-101", "BIG", "LATER", "SMALL"]
    assert codes("park=PB") == ["B-101"]
    bad = client.get(f"{UNITS}?use=canteen", **headers)
    assert bad.status_code == 422 and "use" in bad.json()["errors"]


def test_keyset_pages_cover_every_row_once(world, client):
    floor = world.sample(Floor)
    for i in range(7):
        make_unit(floor, f"K-{i}", area_m2=Decimal(100 + (i % 3)))
    headers = bearer(world, "admin")
    seen, cursor = [], None
    while True:
        url = f"{UNITS}?park=PA&sort=-area_m2&limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, **headers).json()
        seen += [(Decimal(i["area_m2"]), i["code"]) for i in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == 8 and len({c for _, c in seen}) == 8
    assert [a for a, _ in seen] == sorted((a for a, _ in seen), reverse=True)
    assert client.get(f"{UNITS}?cursor=!!", **headers).status_code == 400


def test_revoked_token_is_refused(world, client):
    token, key = token_create(actor=world.users["operator"], name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(UNITS, **headers).status_code == 200
    from core.tokens import token_revoke

    token_revoke(actor=world.users["operator"], token=token)
    assert client.get(UNITS, **headers).status_code == 401


def test_record_history_api(world, client):
    unit = world.sample(Unit)
    client.patch(
        f"{UNITS}/{unit.pk}",
        json.dumps({"power_kva": "250"}),
        content_type="application/json",
        **bearer(world, "operator"),
    )
    url = f"/api/v1/audit/spaces/unit/{unit.pk}"
    history = client.get(url, **bearer(world, "gov")).json()["items"]
    assert history[0]["changes"] == {"power_kva": ["200", "250"]}
    assert history[0]["actor"] == "operator"
    other = f"/api/v1/audit/spaces/unit/{world.sample(Unit, 'B').pk}"
    assert client.get(other, **bearer(world, "gov")).status_code == 404
    assert client.get("/api/v1/audit/core/user/1", **bearer(world, "gov")).status_code == 404
