"""Identity and sessions (等保 2.0 身份鉴别): sign-in events with address and device, lockouts
shown to the admin, idle timeout and session lifetime per role, sessions listed and ended."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.world import PASSWORD
from security.middleware import LAST_SEEN
from security.models import SignInSession

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 ParkOpsTest"


def _sign_in(username: str, password: str = PASSWORD) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("core:login"), {"username": username, "password": password})
    return client


def test_sign_in_failure_and_lockout_are_security_events_the_admin_sees(world, settings):
    _sign_in("gov")
    login = AuditEntry.objects.get(action=AuditAction.LOGIN, actor=world.users["gov"])
    assert (login.ip, login.device) == ("10.1.2.3", BROWSER)
    session = SignInSession.objects.get(user=world.users["gov"])
    assert session.ip == "10.1.2.3"

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in("operator", "wrong")
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, object_repr="operator")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT, object_repr="operator").exists()
    _sign_in("nobody", "wrong")  # an unknown name is recorded as typed, with no actor
    assert AuditEntry.objects.get(object_repr="nobody").actor is None

    admin = Client()
    admin.force_login(world.users["admin"])
    page = admin.get(reverse("security:compliance")).content.decode()
    assert "operator" in page and "锁定" in page and "10.1.2.3" in page
    mine = _sign_in("gov").get(reverse("security:account")).content.decode()
    assert "10.1.2.3" in mine and "登录" in mine


def _age(client: Client, **values: str) -> None:
    session = client.session
    session.update(values)
    session.save()


def test_idle_timeout_is_per_role(world, settings):
    settings.PARKOPS_IDLE_MINUTES = {"gov": 30, "*": 120}
    idle = (timezone.now() - datetime.timedelta(minutes=31)).isoformat()
    gov, tenant = _sign_in("gov"), _sign_in("tenant")
    for client in (gov, tenant):
        _age(client, **{LAST_SEEN: idle})
    out = gov.get(reverse("core:home"))
    assert out.status_code == 302 and out.url.startswith(reverse("core:login"))
    assert gov.get(reverse("core:home")).status_code == 302  # signed out for good
    reason = AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=world.users["gov"]).first()
    assert reason is not None and "30" in reason.comment
    assert not SignInSession.objects.filter(user=world.users["gov"]).exists()
    assert tenant.get(reverse("core:home")).status_code == 200  # 31 minutes is within 120


def test_session_lifetime_ends_an_active_session_and_htmx_gets_a_full_page_redirect(
    world, settings
):
    settings.PARKOPS_SESSION_HOURS = 12
    client = _sign_in("operator")
    _age(client, signed_in_at=(timezone.now() - datetime.timedelta(hours=13)).isoformat())
    response = client.get(reverse("spaces:unit_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("core:login"))


def test_sign_out_everywhere_else_ends_the_other_browsers_only(world):
    here, there = _sign_in("fund"), _sign_in("fund")
    assert SignInSession.objects.filter(user=world.users["fund"]).count() == 2
    response = here.post(reverse("security:account"))
    assert response.status_code == 302
    assert here.get(reverse("core:home")).status_code == 200
    assert there.get(reverse("core:home")).status_code == 302
    assert SignInSession.objects.filter(user=world.users["fund"]).count() == 1


def test_sessions_and_history_are_ones_own(world):
    _sign_in("gov")
    page = _sign_in("tenant").get(reverse("security:account")).content.decode()
    assert page.count("10.1.2.3") >= 1
    assert SignInSession.objects.filter(user=world.users["gov"]).exists()
    # the tenant's page lists only the tenant's own sessions
    assert page.count("ParkOpsTest") == 2  # one session row and one history row


def test_every_export_is_a_security_event(world, client_for):
    response = client_for("operator").get(reverse("spaces:unit_export"))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == world.users["operator"] and entry.content_type.model == "unit"


def test_the_compliance_page_lists_each_control_with_its_setting(world, client_for):
    page = client_for("auditor").get(reverse("security:compliance"))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "双因素登录",
        "空闲超时",
        "审计记录防篡改",
        "敏感字段加密存储",
        "enterprises.contact.phone",
    ):
        assert text in html, text
    assert 'id="security-settings"' not in html  # the auditor reads the settings, no form
    admin = client_for("admin").get(reverse("security:compliance")).content.decode()
    assert 'id="security-settings"' in admin
