"""Password policy (等保 2.0 身份鉴别): complexity, no reuse of the last five, change at the
first sign-in after an admin set it, expiry per role; messages in Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core.models import User


def _messages(password: str, user: User | None = None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return list(exc.messages)
    return []


def test_length_and_three_character_classes():
    assert _messages("Ab1!xyzw") == []
    too_simple = _messages("abcdefgh12")  # two classes
    assert any("3 类" in m and "大写字母" in m for m in too_simple), too_simple
    assert _messages("Ab1!") != []  # too short


def test_the_last_five_passwords_are_refused_the_sixth_is_not(world):
    user = world.users["tenant"]
    passwords = [f"Old!pass-{i}x" for i in range(6)]
    for password in passwords:
        user.set_password(password)
        user.save()
    for password in passwords[1:]:
        assert _messages(password, user), password
    assert any("5" in m for m in _messages(passwords[-1], user))
    assert _messages(passwords[0], user) == []


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_expired_password_is_changed_before_anything_else_for_roles_that_expire(world, settings):
    settings.PARKOPS_PASSWORD_MAX_AGE = {"gov": 90, "*": 0}
    old = timezone.now() - datetime.timedelta(days=91)
    User.objects.filter(username__in=["gov", "tenant"]).update(password_changed_at=old)
    gov = Client()
    gov.force_login(User.objects.get(username="gov"))
    response = gov.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("core:password_change")
    assert gov.get(reverse("core:password_change")).status_code == 200
    tenant = Client()
    tenant.force_login(User.objects.get(username="tenant"))
    assert tenant.get(reverse("core:home")).status_code == 200  # tenants' passwords never expire


@pytest.mark.parametrize("password", ["password1", "gov-gov-gov"])
def test_weak_new_password_is_refused_on_the_change_page_with_the_reason(world, password):
    from core.testing.world import PASSWORD

    client = _client(world.users["gov"])
    with translation.override("zh-hans"):
        page = client.post(
            reverse("core:password_change"),
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert page.status_code == 200
    assert "3 类" in page.content.decode() or "常见" in page.content.decode()
