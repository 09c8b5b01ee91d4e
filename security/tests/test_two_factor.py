"""Two-factor sign-in (等保 2.0 8.1.4.1 d): required for the roles the admin names (admin
and government reviewers by default), optional for others; recovery codes work once; a
lost phone is the admin's to reset; each change audited."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.world import PASSWORD
from security.models import SecuritySettings


def _sign_in(username: str) -> Client:
    client = Client()
    client.post(reverse("core:login"), {"username": username, "password": PASSWORD})
    return client


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("security:two_factor"))
    assert page.status_code == 200 and b"<svg" in page.content  # the QR code, drawn here
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post(reverse("security:two_factor"), {"code": _code(device)})
    assert done.status_code == 200
    codes = list(done.context["codes"])
    assert len(codes) == 10
    device.refresh_from_db()
    return device, codes


def test_the_default_requires_it_of_admins_and_reviewers_only(world):
    SecuritySettings.objects.all().delete()  # a fresh installation
    gov = _sign_in("gov")
    response = gov.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("security:two_factor")
    assert _sign_in("admin").get(reverse("core:home")).url == reverse("security:two_factor")
    assert _sign_in("operator").get(reverse("core:home")).status_code == 200


def test_enrol_then_every_sign_in_asks_for_the_code(world):
    SecuritySettings.objects.update(two_factor_roles=["gov"])
    client = _sign_in("gov")
    device, codes = _enrol(client, "gov")
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200  # verified in this session
    entry = AuditEntry.objects.filter(actor=world.users["gov"], action=AuditAction.UPDATE).first()
    assert entry is not None and entry.changes == {"two_factor": [False, True]}

    again = _sign_in("gov")
    asked = again.get(reverse("spaces:unit_list"))
    assert asked.status_code == 302 and asked.url.startswith(reverse("security:two_factor_verify"))
    ok = again.post(reverse("security:two_factor_verify"), {"code": codes[0], "next": "/"})
    assert ok.status_code == 302 and again.get(reverse("core:home")).status_code == 200

    # a recovery code works once
    third = _sign_in("gov")
    used = third.post(reverse("security:two_factor_verify"), {"code": codes[0], "next": "/"})
    assert used.status_code == 200 and "code" in used.context["form"].errors
    assert third.get(reverse("core:home")).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, comment="动态码错误").exists()


def test_optional_for_others_and_removable_by_them_not_by_required_roles(world):
    SecuritySettings.objects.update(two_factor_roles=["gov"])
    tenant = _sign_in("tenant")
    assert tenant.get(reverse("core:home")).status_code == 200  # not required
    _enrol(tenant, "tenant")
    assert tenant.post(reverse("security:two_factor"), {"do": "remove"}).status_code == 302
    assert not TOTPDevice.objects.filter(user__username="tenant").exists()

    gov = _sign_in("gov")
    _enrol(gov, "gov")
    gov.post(reverse("security:two_factor"), {"do": "remove"})
    assert TOTPDevice.objects.filter(user__username="gov", confirmed=True).exists()


def test_the_admin_sets_the_roles_and_resets_a_lost_phone(world, client_for):
    admin = client_for("admin")
    admin.post(reverse("security:settings_save"), {"two_factor_roles": ["gov", "fund"]})
    assert SecuritySettings.current().two_factor_roles == ["fund", "gov"]
    logged = AuditEntry.objects.filter(content_type__model="securitysettings").first()
    assert logged is not None and logged.changes["two_factor_roles"][1] == ["fund", "gov"]
    page = admin.get(reverse("security:compliance")).content.decode()
    assert "基金" in page  # the setting is shown with the control

    fund = _sign_in("fund")
    _enrol(fund, "fund")
    user = world.users["fund"]
    tab = admin.get(reverse("core:user_detail", args=[user.pk]) + "?tab=security")
    assert "重置双因素登录".encode() in tab.content
    admin.post(reverse("security:user_two_factor_reset", args=[user.pk]))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert _sign_in("fund").get(reverse("core:home")).url == reverse("security:two_factor")

    for role in ("operator", "auditor"):  # neither changes the settings nor resets anyone
        client = client_for(role)
        assert client.post(reverse("security:settings_save"), {}).status_code == 404
        assert (
            client.post(reverse("security:user_two_factor_reset", args=[user.pk])).status_code
            == 404
        )
    assert SecuritySettings.current().two_factor_roles == ["fund", "gov"]


def test_a_code_typed_too_soon_after_a_wrong_one_says_to_wait(world):
    SecuritySettings.objects.update(two_factor_roles=["gov"])
    device, _codes = _enrol(_sign_in("gov"), "gov")
    client = _sign_in("gov")
    url = reverse("security:two_factor_verify")
    wrong = client.post(url, {"code": "000000" if _code(device) != "000000" else "111111"})
    right_too_soon = client.post(url, {"code": _code(device)})
    message = " ".join(right_too_soon.context["form"].errors["code"])
    assert "秒" in message or " s " in message, message
    assert wrong.status_code == right_too_soon.status_code == 200
