"""Spaces pages: lists with filters and bounded queries, detail tabs, forms, delete."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEntry
from spaces.models import Building, Floor, Park, Unit
from spaces.testing import make_unit

pytestmark = pytest.mark.django_db


def test_unit_list_queries_do_not_grow_with_rows(world, client_for, django_assert_max_num_queries):
    floor = world.sample(Floor)
    client = client_for("operator")
    url = reverse("spaces:unit_list")
    client.get(url)  # warm caches (content types, session)
    for i in range(30):
        make_unit(floor, f"Q-{i:02d}")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].items) == 25
    assert response.context["page"].next_cursor


def test_unit_list_filter_and_htmx_partial(world, client_for):
    make_unit(world.sample(Floor), "TALL", clear_height_m=Decimal("12"))
    client = client_for("operator")
    url = reverse("spaces:unit_list") + "?clear_height_min=10"
    full = client.get(url)
    assert [u.code for u in full.context["page"].items] == ["TALL"]
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"TALL" in partial.content


def test_unit_list_bad_filter_shows_message_not_error(world, client_for):
    response = client_for("operator").get(reverse("spaces:unit_list") + "?area_min=abc")
    assert response.status_code == 200
    assert response.context["page"].items == []
    assert "请修正".encode() in response.content


def test_building_page_shows_stacking_plan_by_status(world, client_for):
    building = world.sample(Building)
    make_unit(world.sample(Floor), "A-102", status="leased")
    response = client_for("gov").get(reverse("spaces:building_detail", args=[building.pk]))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [u.code for u in plan[0]["units"]] == ["A-101", "A-102"]
    assert b"st-leased" in response.content and b"st-vacant" in response.content
    # government reviewers read, but are offered no edit
    assert response.context["can_change"] is False


def test_park_page_shows_area_figures(world, client_for):
    floor = world.sample(Floor)
    make_unit(
        floor, "LOW", area_m2=Decimal("1000"), clear_height_m=Decimal("4"), status="not_leasable"
    )
    response = client_for("operator").get(
        reverse("spaces:park_detail", args=[world.sample(Park).pk])
    )
    figures = response.context["figures"]
    assert figures.total_area_m2 == Decimal("2000")
    assert figures.leasable_area_m2 == Decimal("1000")
    assert figures.high_clear_height_share == Decimal("0.5000")
    assert b"50.0%" in response.content


def test_history_tab_lists_changes(world, client_for):
    client = client_for("operator")
    unit = world.sample(Unit)
    client.post(
        reverse("spaces:unit_edit", args=[unit.pk]),
        {
            "floor": unit.floor_id,
            "code": unit.code,
            "use": "lab",
            "area_m2": "1000",
            "clear_height_m": "8",
            "floor_load_kn_m2": "10",
            "power_kva": "200",
            "list_rent": "3.5",
            "status": "vacant",
        },
    )
    page = client.get(reverse("spaces:unit_detail", args=[unit.pk]) + "?tab=history")
    assert "实验室".encode() in page.content and "厂房".encode() in page.content


def test_edit_form_errors_inline_and_nothing_saved(world, client_for):
    unit = world.sample(Unit)
    operator = client_for("operator")  # signed in (itself audited) before counting
    before = AuditEntry.objects.count()
    response = operator.post(
        reverse("spaces:unit_edit", args=[unit.pk]),
        {
            "floor": unit.floor_id,
            "code": unit.code,
            "use": "lab",
            "area_m2": "-1",
            "clear_height_m": "40",
            "floor_load_kn_m2": "10",
            "power_kva": "200",
            "list_rent": "3.5",
            "status": "vacant",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"area_m2", "clear_height_m"}
    assert AuditEntry.objects.count() == before
    unit.refresh_from_db()
    assert unit.use == "workshop"


def test_create_form_offers_only_floors_in_scope(world, client_for):
    response = client_for("operator").get(reverse("spaces:unit_add"))
    floors = list(response.context["form"].fields["floor"].queryset)
    assert floors == [world.sample(Floor)]


def test_delete_needs_confirmation(world, client_for):
    unit = make_unit(world.sample(Floor), "A-199")  # the sample unit is leased, so kept
    client = client_for("operator")
    confirm = client.get(reverse("spaces:unit_delete", args=[unit.pk]))
    assert confirm.status_code == 200 and Unit.objects.filter(pk=unit.pk).exists()
    client.post(reverse("spaces:unit_delete", args=[unit.pk]))
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_delete_refused_with_dependents_shows_message(world, client_for):
    park = world.sample(Park)
    response = client_for("admin").post(reverse("spaces:park_delete", args=[park.pk]), follow=True)
    assert Park.objects.filter(pk=park.pk).exists()
    assert "无法删除".encode() in response.content


def test_export_contains_only_visible_units(world, client_for):
    import io

    from openpyxl import load_workbook

    response = client_for("operator").get(reverse("spaces:unit_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["A-101"]


def test_a_tenant_reads_a_parks_public_facts_not_its_figures(world, client_for):

    park = world.sample(Park)
    make_unit(world.sample(Floor), "A-990", area_m2=Decimal("321"))
    page = client_for("tenant").get(f"/spaces/parks/{park.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert park.name in html and "今日可租面积" in html and "321" in html
    assert "建筑面积" not in html and "?tab=buildings" not in html  # the operator's figures
    assert client_for("tenant").get("/spaces/units/").status_code in (403, 404)
    staff = client_for("operator").get(f"/spaces/parks/{park.pk}/").content.decode()
    assert "建筑面积" in staff and "今日可租面积" not in staff


def test_park_staff_belong_to_the_parks_operator(world):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from core.models import User

    park = world.sample(Park)
    stranger = world.sample(User, "B")  # operator B's staff
    with pytest.raises(ValidationError), transaction.atomic():
        park.staff.add(stranger)
    with pytest.raises(ValidationError), transaction.atomic():
        stranger.assigned_parks.add(park)
    assert not park.staff.filter(pk=stranger.pk).exists()
    park.staff.add(world.users["operator"])  # one of its own operator is fine
