"""Platform admins manage users: role and scope, password, deactivation; audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.audit import entries_for
from core.models import User

pytestmark = pytest.mark.django_db


def test_admin_creates_a_government_reviewer(world, client_for):
    response = client_for("admin").post(
        reverse("core:user_add"),
        {
            "username": "reviewer2",
            "display_name": "周审核",
            "role": "gov",
            "jurisdiction": world.jurisdictions["B"].pk,
            "new_password": "Zq8!long-pass",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="reviewer2")
    assert user.role == "gov" and user.jurisdiction == world.jurisdictions["B"]
    assert user.check_password("Zq8!long-pass")
    entry = entries_for(user).get()
    assert entry.actor == world.users["admin"]
    assert "password" not in entry.changes and entry.changes["role"] == [None, "gov"]
    login = Client().post(
        reverse("core:login"), {"username": "reviewer2", "password": "Zq8!long-pass"}
    )
    assert login.status_code == 302


def test_role_without_its_scope_is_refused_inline(world, client_for):
    response = client_for("admin").post(
        reverse("core:user_add"),
        {"username": "t2", "role": "tenant", "new_password": "Zq8!long-pass"},
    )
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert not User.objects.filter(username="t2").exists()


def test_weak_password_is_refused(world, client_for):
    response = client_for("admin").post(
        reverse("core:user_add"), {"username": "x", "role": "admin", "new_password": "123"}
    )
    assert "new_password" in response.context["form"].errors


def test_deactivate_and_reset_password(world, client_for):
    user = world.users["fund"]
    client_for("admin").post(
        reverse("core:user_edit", args=[user.pk]),
        {
            "username": "fund",
            "role": "fund",
            "operator": world.operators["A"].pk,
            "new_password": "New!pass-2026",
        },
    )
    user.refresh_from_db()
    assert user.is_active is False and user.check_password("New!pass-2026")
    entry = entries_for(user).first()
    # the hash is never logged; the admin's password is the user's to replace at sign-in
    assert entry.changes == {"is_active": [True, False], "must_change_password": [False, True]}


def test_admin_creates_a_tenant_user_for_a_company(world, client_for):
    from enterprises.models import Enterprise

    company = world.sample(Enterprise, "B")
    response = client_for("admin").post(
        reverse("core:user_add"),
        {
            "username": "tenant_b",
            "role": "tenant",
            "enterprise": company.pk,
            "new_password": "Zq8!long-pass",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="tenant_b")
    client = Client()
    client.force_login(user)
    # the password the admin chose is replaced at the first sign-in, before any other page
    first = client.get(f"/enterprises/companies/{company.pk}/")
    assert first.status_code == 302 and first.url == reverse("core:password_change")
    changed = client.post(
        reverse("core:password_change"),
        {
            "old_password": "Zq8!long-pass",
            "new_password1": "Own!pass-2027",
            "new_password2": "Own!pass-2027",
        },
    )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/api/v1/me").json()["enterprise_id"] == company.pk
    # the company's own records are in scope, the other company's are not
    own = client.get(f"/enterprises/companies/{company.pk}/")
    other = client.get(f"/enterprises/companies/{world.sample(Enterprise).pk}/")
    assert (own.status_code, other.status_code) == (200, 404)
    contacts = client.get("/api/v1/enterprises/contacts").json()["items"]
    assert {c["enterprise_id"] for c in contacts} == {company.pk}
    page = client_for("admin").get(reverse("core:user_detail", args=[user.pk]))
    assert company.name in page.content.decode()


def test_moving_a_tenant_user_to_another_company_is_audited(world, client_for):
    from enterprises.models import Enterprise

    user, company = world.users["tenant"], world.sample(Enterprise, "B")
    client_for("admin").post(
        reverse("core:user_edit", args=[user.pk]),
        {"username": "tenant", "role": "tenant", "enterprise": company.pk, "is_active": "on"},
    )
    from enterprises.selectors import company_of

    user = User.objects.get(pk=user.pk)
    assert company_of(user) == company
    entry = entries_for(user).first()
    assert entry.changes == {"enterprise": [world.sample(Enterprise).name, company.name]}


def test_core_owns_no_key_into_an_app():
    """Core's records point at core's and Django's own only (the layers, for the schema)."""
    from django.apps import apps

    for model in apps.get_app_config("core").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.is_relation and not field.auto_created and related is not None:
                assert related._meta.app_label in {"core", "auth", "contenttypes"}, (
                    model,
                    field.name,
                )
