"""API lists read as plain rows (core.api.rows) answer exactly what validation answers: for
every API list, every page each demo role sees, byte for byte, with the fast path on and
off; and only schemas that copy columns take it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from core.api.rows import plain_columns
from core.tests.test_query_counts import API_LISTS, demo  # noqa: F401 (a fixture)

# every demo role: the policy hides and masks fields by role (gov, fund, auditor)
ROLES = ["admin", "operator", "gov", "fund", "tenant", "auditor"]


def _pages(client: Any, path: str) -> list[tuple[int, str, bytes]]:
    """Up to three pages of three rows, following ``next``."""
    pages, cursor = [], ""
    for _ in range(3):
        response = client.get(f"{path}?limit=3" + (f"&cursor={cursor}" if cursor else ""))
        pages.append((response.status_code, response["Content-Type"], response.content))
        if response.status_code != 200 or not (cursor := response.json()["next"]):
            break
    return pages


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("path", API_LISTS)
def test_a_list_answers_the_same_bytes_read_as_plain_rows_or_validated(
    path, client, django_user_model
):
    for role in ROLES:
        client.force_login(django_user_model.objects.get(username=role))
        with override_settings(PARKOPS_API_PLAIN_ROWS=False):
            validated = _pages(client, path)
        assert _pages(client, path) == validated, (role, path)


def test_only_a_schema_that_copies_columns_is_read_as_plain_rows():
    from enterprises.api import EnterpriseOut
    from enterprises.models import Enterprise
    from leasing.api import InvoiceOut, LeaseOut
    from leasing.models import Invoice, Lease
    from spaces.api import FloorOut, UnitOut
    from spaces.models import Floor, Unit

    columns = plain_columns(UnitOut, Unit)
    assert columns is not None
    assert columns["park"] == "park__code" and columns["floor"] == "floor__number"
    assert columns["park_id"] == "park_id" and columns["area_m2"] == "area_m2"
    assert plain_columns(FloorOut, Floor) is None  # label is a property
    assert plain_columns(LeaseOut, Lease) is None  # resolvers (unit ids, the caller's moves)
    assert plain_columns(InvoiceOut, Invoice) is None  # lines, and a computed outstanding
    assert plain_columns(EnterpriseOut, Enterprise) is None  # tags through a resolver


@pytest.mark.usefixtures("demo")
def test_a_plain_list_builds_no_model_object(client, django_user_model, monkeypatch):
    """The units list at 200,000 units spent its time building objects: it builds none now."""
    from spaces.models import Unit

    built = []
    from_db = Unit.from_db.__func__
    monkeypatch.setattr(
        Unit, "from_db", classmethod(lambda cls, *a: built.append(1) or from_db(cls, *a))
    )
    client.force_login(django_user_model.objects.get(username="operator"))
    assert len(client.get("/api/v1/spaces/units?limit=20").json()["items"]) == 20
    assert built == []
    with override_settings(PARKOPS_API_PLAIN_ROWS=False):
        client.get("/api/v1/spaces/units?limit=20")
    assert len(built) >= 20


@pytest.mark.django_db
def test_a_row_without_its_related_record_is_written_as_validation_writes_it(rf):
    """A company with no industry: ``industry.code`` reads nothing, and both write the
    field's default (null) rather than failing."""
    import json

    from ninja.responses import NinjaJSONEncoder

    from core.api.rows import object_writer
    from enterprises.api import EnterpriseOut
    from enterprises.models import Enterprise
    from security.api import AuditEntryOut

    firm = Enterprise.objects.create(name="无行业企业", credit_code="91110108MA01ABCD2X")
    request = rf.get("/")
    write = object_writer(EnterpriseOut)
    assert write is not None
    validated = EnterpriseOut.model_validate(firm, context={"request": request}).model_dump()
    assert validated["industry"] is None
    encode = lambda row: json.dumps(row, cls=NinjaJSONEncoder)  # noqa: E731
    assert encode(write(firm, request)) == encode(validated)
    assert object_writer(AuditEntryOut) is None  # its changes are a dict: validation writes it
