"""Writes through the spaces services: validation rules, scope, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from core.audit import entries_for
from core.errors import ConflictError
from core.models import AuditEntry
from spaces import services
from spaces.models import Building, Floor, Park, Unit

pytestmark = pytest.mark.django_db


def new_unit(floor, **overrides):
    values = dict(
        code="X-1",
        use="office",
        area_m2=Decimal("100"),
        clear_height_m=Decimal("4"),
        floor_load_kn_m2=Decimal("3.5"),
        power_kva=Decimal("20"),
        list_rent=Decimal("4.5"),
    )
    values.update(overrides)
    return Unit(floor=floor, **values)


def test_create_records_audit_with_actor_and_values(world):
    operator = world.users["operator"]
    floor = world.sample(Floor)
    unit = services.unit_create(actor=operator, instance=new_unit(floor, code=" x-9 "))
    assert unit.code == "X-9"
    assert unit.park == world.sample(Park) and unit.building == world.sample(Building)
    entry = entries_for(unit).get()
    assert entry.actor == operator and entry.action == "create"
    assert entry.changes["area_m2"] == [None, "100"]
    assert entry.changes["use"] == [None, "office"]
    assert ("用途", None, "办公") in [(str(a), b, str(c)) for a, b, c in entry.change_rows()]


def test_update_records_only_changed_fields(world):
    unit = world.sample(Unit)
    services.unit_update(
        actor=world.users["operator"],
        instance=unit,
        data={"list_rent": Decimal("4.20"), "power_kva": Decimal("200")},
    )
    entry = entries_for(unit).get()
    assert entry.action == "update"
    assert entry.changes == {"list_rent": ["3.5", "4.2"]}


def test_delete_records_old_values(world):
    from spaces.testing import make_unit

    unit = make_unit(world.sample(Floor), "A-199")  # the sample unit is leased, so kept
    pk = unit.pk
    services.unit_delete(actor=world.users["operator"], instance=unit)
    assert not Unit.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_id=str(pk), action="delete")
    assert entry.changes["code"] == ["A-199", None]


def test_delete_with_dependents_is_refused_and_changes_nothing(world):
    building = world.sample(Building)
    before = AuditEntry.objects.count()
    with pytest.raises(ConflictError):
        services.building_delete(actor=world.users["operator"], instance=building)
    assert Building.objects.filter(pk=building.pk).exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value", "message_part"),
    [
        ("area_m2", Decimal("0"), "0.01"),
        ("area_m2", Decimal("-5"), "0.01"),
        ("clear_height_m", Decimal("1.9"), "2"),
        ("clear_height_m", Decimal("30.5"), "30"),
        ("floor_load_kn_m2", Decimal("0"), "0.01"),
        ("power_kva", Decimal("-1"), "0"),
        ("list_rent", Decimal("-0.1"), "0"),
    ],
)
def test_unit_field_rules(world, field, value, message_part):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=world.users["admin"], instance=new_unit(world.sample(Floor), **{field: value})
        )
    assert field in exc.value.message_dict
    assert message_part in " ".join(exc.value.message_dict[field])
    assert not Unit.objects.filter(code="X-1").exists()


def test_clear_height_bounds_are_inclusive(world):
    floor = world.sample(Floor)
    services.unit_create(
        actor=world.users["admin"],
        instance=new_unit(floor, code="LOW", clear_height_m=Decimal("2")),
    )
    services.unit_create(
        actor=world.users["admin"],
        instance=new_unit(floor, code="HIGH", clear_height_m=Decimal("30")),
    )
    assert Unit.objects.filter(code__in=["LOW", "HIGH"]).count() == 2


def test_unit_code_unique_per_building_not_across(world):
    floor_a = world.sample(Floor)
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=world.users["admin"], instance=new_unit(floor_a, code="A-101"))
    assert "__all__" in exc.value.message_dict
    # the same code in another building is fine
    services.unit_create(
        actor=world.users["admin"], instance=new_unit(world.sample(Floor, "B"), code="A-101")
    )


def test_floor_must_be_within_building(world):
    building = world.sample(Building)  # 3 floors above, none below
    for number in (4, -1, 0):
        with pytest.raises(ValidationError) as exc:
            services.floor_create(
                actor=world.users["admin"], instance=Floor(building=building, number=number)
            )
        assert "number" in exc.value.message_dict
    services.floor_create(actor=world.users["admin"], instance=Floor(building=building, number=3))


def test_floor_number_unique_in_building(world):
    with pytest.raises(ValidationError):
        services.floor_create(
            actor=world.users["admin"], instance=Floor(building=world.sample(Building), number=1)
        )


def test_building_renovated_not_before_built(world):
    park = world.sample(Park)
    with pytest.raises(ValidationError) as exc:
        services.building_create(
            actor=world.users["admin"],
            instance=Building(park=park, code="Z", name="Z", year_built=2000, year_renovated=1999),
        )
    assert "year_renovated" in exc.value.message_dict


def test_building_code_unique_in_park(world):
    with pytest.raises(ValidationError):
        services.building_create(
            actor=world.users["admin"],
            instance=Building(park=world.sample(Park), code="b1", name="dup"),
        )


def test_operator_cannot_create_in_other_park(world):
    before = Unit.objects.count()
    with pytest.raises(Http404):
        services.unit_create(
            actor=world.users["operator"], instance=new_unit(world.sample(Floor, "B"))
        )
    assert Unit.objects.count() == before


def test_operator_cannot_move_building_to_other_park(world):
    building = world.sample(Building)
    with pytest.raises(Http404):
        services.building_update(
            actor=world.users["operator"], instance=building, data={"park": world.sample(Park, "B")}
        )
    building.refresh_from_db()
    assert building.park == world.sample(Park)


@pytest.mark.parametrize("role", ["gov", "fund", "tenant"])
def test_read_only_roles_cannot_write(world, role):
    with pytest.raises(Http404):
        services.unit_update(
            actor=world.users[role], instance=world.sample(Unit), data={"list_rent": Decimal("9")}
        )
    assert world.sample(Unit).list_rent == Decimal("3.5")


def test_only_admin_creates_parks(world):
    park = Park(
        code="NEW",
        name="新园区",
        kind="incubator",
        operator=world.operators["A"],
        jurisdiction=world.jurisdictions["A"],
    )
    with pytest.raises(Http404):
        services.park_create(actor=world.users["operator"], instance=park)
    created = services.park_create(
        actor=world.users["admin"], instance=park, m2m={"staff": [world.users["operator"]]}
    )
    assert list(created.staff.all()) == [world.users["operator"]]
    assert entries_for(created).get().changes["staff"] == [None, [str(world.users["operator"])]]
