"""The platform admin apart from the data (等保 2.0 8.1.4.2): business records only through a
live support grant that operator staff give, for one operator, for a while, with a reason."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.audit import entries_for
from core.choices import Role
from core.models import Operator, User
from core.permissions import can
from core.users import user_create
from enterprises.models import Enterprise
from leasing.models import Lease, Transfer
from security import support
from security.models import SupportGrant
from spaces import services as space_services
from spaces.models import Park, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(world):
    """A second platform admin with no grant at all."""
    return user_create(
        actor=world.users["admin"], username="admin2", password="x-Pass-1234!", role=Role.ADMIN
    )


def _grant(world, admin, side="A", days=3):
    return support.support_grant(
        actor=world.users["operator"] if side == "A" else None,
        admin=admin,
        operator=world.operators[side],
        reason="核对账单",
        days=days,
    )


def test_an_admin_without_a_grant_reads_no_business_record(world, helper):
    for model in (Park, Unit, Lease, Enterprise, Transfer):
        assert model.objects.count() > 0
        assert not model.objects.restrict(helper).exists(), model
    # platform records stay theirs to manage
    assert Operator.objects.restrict(helper).count() == Operator.objects.count()
    assert User.objects.restrict(helper).filter(pk=world.users["tenant"].pk).exists()


def test_a_grant_opens_one_operators_records_and_no_other(world, helper):
    _grant(world, helper, "A")
    parks = set(Park.objects.restrict(helper).values_list("operator", flat=True))
    assert parks == {world.operators["A"].pk}
    lease_a, lease_b = world.sample(Lease, "A"), world.sample(Lease, "B")
    assert can(helper, "change", lease_a) and not can(helper, "view", lease_b)
    assert Enterprise.objects.restrict(helper).exists()  # the shared registry, like staff
    assert list(Transfer.objects.restrict(helper)) == [world.sample(Transfer, "A")]


def test_writes_follow_the_grant(world, helper):
    def new_park(side):
        return Park(
            code=f"N{side}",
            name=f"新园区{side}",
            kind="incubator",
            operator=world.operators[side],
            jurisdiction=world.jurisdictions[side],
        )

    with pytest.raises(Http404):
        space_services.park_create(actor=helper, instance=new_park("A"))
    _grant(world, helper, "A")
    assert space_services.park_create(actor=helper, instance=new_park("A")).pk
    with pytest.raises(Http404):
        space_services.park_create(actor=helper, instance=new_park("B"))


def test_an_expired_or_revoked_grant_opens_nothing(world, helper):
    grant = _grant(world, helper, "A")
    SupportGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - datetime.timedelta(days=4),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert not Park.objects.restrict(helper).exists()
    grant = _grant(world, helper, "A")
    assert Park.objects.restrict(helper).exists()
    support.support_revoke(actor=world.users["operator"], grant=grant)
    assert not Park.objects.restrict(helper).exists()
    assert [e.action for e in entries_for(grant)] == ["update", "create"]
    with pytest.raises(ValidationError):
        support.support_revoke(actor=world.users["operator"], grant=grant)


def test_only_the_operators_staff_or_the_command_line_grant(world, helper):
    for actor in (helper, world.users["admin"], world.users["gov"], world.users["tenant"]):
        with pytest.raises(Http404):
            support.support_grant(
                actor=actor, admin=helper, operator=world.operators["A"], reason="x", days=1
            )
    with pytest.raises(Http404):  # staff of operator A may not open operator B
        support.support_grant(
            actor=world.users["operator"],
            admin=helper,
            operator=world.operators["B"],
            reason="x",
            days=1,
        )
    with pytest.raises(ValidationError) as exc:
        _grant(world, helper, "A", days=91)
    assert "days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        support.support_grant(
            actor=None, admin=world.users["gov"], operator=world.operators["A"], reason="x", days=1
        )
    assert "admin" in exc.value.message_dict
    call_command("support_grant", "admin2", "OPA", "--reason", "上线支持", "--days", "2")
    grant = SupportGrant.objects.get(admin=helper)
    assert grant.granted_by is None and grant.live
    assert entries_for(grant).get().comment


def test_staff_grant_and_revoke_from_the_pages(world, helper, client_for):
    staff = client_for("operator")
    response = staff.post(
        reverse("security:supportgrant_add"),
        {
            "admin": helper.pk,
            "operator": world.operators["A"].pk,
            "reason": "核对 3 月账单",
            "days": 2,
        },
    )
    grant = SupportGrant.objects.get(admin=helper)
    assert response.status_code == 302 and grant.granted_by == world.users["operator"]
    assert Park.objects.restrict(helper).exists()
    page = staff.get(reverse("security:supportgrant_detail", args=[grant.pk])).content.decode()
    assert reverse("security:supportgrant_revoke", args=[grant.pk]) in page
    staff.post(reverse("security:supportgrant_revoke", args=[grant.pk]))
    assert not Park.objects.restrict(helper).exists()
    # the admin reads their grants but finds no way to give one
    admin = client_for("admin")
    assert admin.get(reverse("security:supportgrant_add")).status_code == 404
    assert admin.get(reverse("security:supportgrant_list")).status_code == 200


def test_the_compliance_page_counts_the_grants_in_force(world, client_for):
    page = client_for("auditor").get(reverse("security:compliance")).content.decode()
    assert "生效中的运维授权：2 项" in page  # the world's admin supports both operators
    assert client_for("auditor").get(reverse("security:supportgrant_list")).status_code == 200


def test_the_grant_list_filters_grants_in_force(world, helper, client_for):
    ended = _grant(world, helper, "A")
    support.support_revoke(actor=world.users["operator"], grant=ended)
    running = _grant(world, helper, "A")
    assert set(SupportGrant.objects.in_force().filter(admin=helper)) == {running}
    url = reverse("security:supportgrant_list")
    staff = client_for("operator")
    shown = [g.pk for g in staff.get(url + "?live=true").context["page"].items]
    assert running.pk in shown and ended.pk not in shown
    shown = [g.pk for g in staff.get(url + "?live=false").context["page"].items]
    assert ended.pk in shown and running.pk not in shown
