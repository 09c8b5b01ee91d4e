"""The shell: login and its throttle, language, park switcher, API tokens, job pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import ApiToken, AuditEntry
from core.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_then_home(world):
    client = Client()
    response = client.post(reverse("core:login"), {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert "园区".encode() in home.content  # Chinese first


def test_wrong_password_shows_inline_error_and_locks_after_limit(world, settings):
    client = Client()
    url = reverse("core:login")
    first = client.post(url, {"username": "operator", "password": "wrong"})
    assert first.status_code == 200 and "用户名".encode() in first.content
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "operator", "password": "wrong"})
    locked = client.post(url, {"username": "operator", "password": PASSWORD})
    assert locked.status_code == 429
    assert "锁定".encode() in locked.content
    assert settings.AXES_COOLOFF_TIME  # a lock that never ends would be a denial of service


def test_english_on_request(world, client_for):
    client = client_for("operator")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("spaces:unit_list"))
    assert b"Units" in page.content and "房源单元".encode() not in page.content


def test_park_switcher_filters_lists_and_refuses_foreign_parks(world, client_for):
    client = client_for("admin")
    assert (
        client.post(reverse("core:switch_park"), {"switch_park": "PB", "next": "/"}).status_code
        == 302
    )
    page = client.get(reverse("spaces:unit_list"))
    codes = [u.code for u in page.context["page"].items]
    assert codes == ["B-101"]
    operator = client_for("operator")
    assert operator.post(reverse("core:switch_park"), {"switch_park": "PB"}).status_code == 404


def test_token_create_shows_key_once_and_revoke(world, client_for):
    client = client_for("fund")
    response = client.post(reverse("core:tokens"), {"name": "导出脚本"})
    key = response.context["new_key"]
    assert key and key.encode() in response.content
    token = ApiToken.objects.get(user=world.users["fund"])
    assert token.key_hash != key and key not in token.key_hash
    again = client.get(reverse("core:tokens"))
    assert key.encode() not in again.content
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()["role"] == "fund"
    # another user cannot revoke it
    assert (
        client_for("operator").post(reverse("core:token_revoke", args=[token.pk])).status_code
        == 404
    )
    client.post(reverse("core:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(object_id=str(token.pk), action="update").exists()


def test_create_api_token_command(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("create_api_token", "gov", stdout=out)
    key = out.getvalue().strip()
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json()["username"] == "gov"


def test_favicon_is_served(world):
    response = Client().get("/favicon.ico", follow=True)
    assert response.status_code == 200


def test_form_errors_become_one_message_naming_each_field():
    from django import forms

    from core.forms import errors_as_text

    class Sample(forms.Form):
        area = forms.DecimalField(label="面积")
        note = forms.CharField(label="说明")

        def clean(self):
            raise forms.ValidationError("整体错误")

    form = Sample({"area": "abc"})
    assert not form.is_valid()
    area, note = form.errors["area"][0], form.errors["note"][0]
    assert errors_as_text(form) == f"面积: {area}; 说明: {note}; 整体错误"


def test_operator_staff_keep_their_own_collection_account(world, client_for):
    from core.models import Operator

    own, other = world.operators["A"], world.operators["B"]
    client = client_for("operator")
    url = f"/operators/{own.pk}/edit/"
    bad = client.post(url, {"name": own.name, "bank_account": "12ab"})
    assert bad.status_code == 200 and "只能填写数字" in bad.content.decode()
    good = client.post(
        url,
        {
            "name": own.name,
            "account_name": "运营方A",
            "bank_name": "招商银行",
            "bank_account": "6225 8888 0000",
        },
    )
    assert good.status_code == 302
    assert Operator.objects.get(pk=own.pk).bank_account == "6225 8888 0000"
    assert client.get(f"/operators/{other.pk}/edit/").status_code == 404
    assert client_for("fund").get(f"/operators/{own.pk}/edit/").status_code == 404
    assert client_for("fund").get(f"/operators/{own.pk}/").status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_carry_iso_values_in_every_language(world, client_for, language):
    """A date shown as 2029/12/29 in a type=date input reads as empty: saving the form unchanged
    would erase it."""
    import datetime

    from django.utils import translation

    from spaces.models import Unit

    unit = world.sample(Unit)
    Unit.objects.filter(pk=unit.pk).update(available_from=datetime.date(2029, 12, 29))
    client = client_for("operator")
    with translation.override(language):
        client.cookies["django_language"] = language
        html = client.get(
            f"/spaces/units/{unit.pk}/edit/", HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    assert 'value="2029-12-29"' in html


def test_a_tenant_home_shows_its_own_bills(world, client_for):
    from decimal import Decimal

    from django.db.models import F, Sum

    from leasing.models import Invoice

    html = client_for("tenant").get("/").content.decode()
    mine = Invoice.objects.filter(enterprise=world.sample(Invoice).enterprise).exclude(
        kind="credit"
    )
    owed = mine.aggregate(s=Sum(F("amount") - F("settled")))["s"] or Decimal(0)
    assert owed > 0
    assert "未结清账单" in html or "Open bills" in html
    assert "暂无园区指标" not in html


def test_detail_pages_show_dates_iso_and_booleans_as_tags(world, client_for):
    from admissions.models import ThresholdRule
    from spaces.models import Park

    rule = ThresholdRule.objects.create(park=world.sample(Park), kind="min_headcount", value=10)
    html = client_for("operator").get(f"/admissions/thresholds/{rule.pk}/").content.decode()
    assert '<span class="tag tag-green">是</span>' in html and ">True<" not in html
    created = client_for("operator").get(f"/admissions/thresholds/{rule.pk}/?tab=overview")
    assert created.status_code == 200


def test_error_pages_are_in_the_products_layout_with_a_way_back(world, client_for):
    missing = client_for("operator").get("/spaces/units/999999/")
    html = missing.content.decode()
    assert missing.status_code == 404 and 'class="sider"' in html and "返回工作台" in html
    foreign = client_for("tenant").get("/spaces/units/")
    assert foreign.status_code == 404 and "返回工作台" in foreign.content.decode()
    from django.template.loader import render_to_string

    assert "返回工作台" in render_to_string("500.html")  # renders without a request


def test_a_user_changes_their_password_from_the_user_menu(world, client_for):
    client = client_for("gov")
    home = client.get("/").content.decode()
    assert "/account/password/" in home
    page = client.get("/account/password/")
    assert page.status_code == 200 and 'class="sider"' in page.content.decode()
    wrong = client.post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "Xq9!parkops-2026",
            "new_password2": "Xq9!parkops-2026",
        },
    )
    assert wrong.status_code == 200 and "has-error" in wrong.content.decode()
    done = client.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xq9!parkops-2026",
            "new_password2": "Xq9!parkops-2026",
        },
    )
    assert done.status_code == 302
    world.users["gov"].refresh_from_db()
    assert world.users["gov"].check_password("Xq9!parkops-2026")
    assert client.get("/").status_code == 200  # still signed in


def test_the_park_switcher_narrows_the_parks_card(world, client_for):
    from spaces.models import Park

    client = client_for("admin")
    every = client.get("/").content.decode()
    park = world.sample(Park)
    client.post("/switch-park/", {"switch_park": park.code, "next": "/"})
    one = client.get("/").content.decode()
    count = Park.objects.count()
    assert count > 1
    assert f'<div class="kpi-value">{count}</div>' in every.replace("\n", "")
    assert '<div class="kpi-value">1</div>' in one.replace("\n", "")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_are_grouped_in_every_language(language):
    """Django's zh-hans number format does not group whole numbers: 30000000 read as
    30,000,000 only in English until the formatter grouped them itself."""
    from decimal import Decimal

    from django.utils import translation

    from core.tables import shown

    with translation.override(language):
        assert shown(Decimal("30000000.00")) == "30,000,000"
        assert shown(Decimal("1643658.88")) == "1,643,658.88"
        assert shown(Decimal("-1234.5")) == "-1,234.5"


def test_a_user_edits_their_own_name_and_email_and_nothing_else(world):
    client = Client()
    client.force_login(world.users["tenant"])
    page = client.get("/account/profile/").content.decode()
    assert "甲科技有限公司" in page  # the company the tenant acts for, read only
    response = client.post(
        "/account/profile/",
        {"display_name": "张财务", "email": "zhang@example.com", "role": "admin"},
    )
    assert response.status_code == 302
    tenant = type(world.users["tenant"]).objects.get(pk=world.users["tenant"].pk)
    assert (tenant.display_name, tenant.email, tenant.role) == (
        "张财务",
        "zhang@example.com",
        "tenant",
    )
    assert AuditEntry.objects.filter(
        object_id=tenant.pk, changes__display_name=["", "张财务"]
    ).exists()
    refused = client.post(
        "/account/profile/", {"display_name": "bad\x07name", "email": "z@example.com"}
    )
    assert refused.status_code == 200 and "U+0007" in refused.content.decode()
    tenant.refresh_from_db()
    assert tenant.display_name == "张财务"


def test_filter_bars_offer_parks_by_name_and_no_raw_id_boxes(world):
    """The park filter is a select of the parks in scope (the API still takes the code); a
    filter by id stays for links that set it but is not a box to type an id into."""
    import re

    from spaces.models import Park

    client = Client()
    client.force_login(world.users["operator"])
    mine, other = world.sample(Park, "A"), world.sample(Park, "B")
    page = client.get("/spaces/units/").content.decode()
    select = re.search(r'<select name="park"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    assert f'value="{mine.code}"' in select.group(1) and mine.name in select.group(1)
    assert f'value="{other.code}"' not in select.group(1)
    bills = client.get("/leasing/invoices/?lease=1").content.decode()
    assert '<input type="hidden" name="lease" value="1"' in bills
    assert "---------" not in client.get("/leasing/leases/add/").content.decode()
