"""One input policy for every write: control characters and absurd dates are refused with the
field named, bodies that are not one JSON object are a 422, long texts never break later."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from admissions.models import Application, ThresholdRule
from admissions.services import screening_run, threshold_create
from enterprises.models import Enterprise
from leasing.models import Lease

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["北京\x00海淀", "北京\x07海淀", "北京\x1b[31m"])
def test_control_characters_are_refused_by_the_api_and_the_pages(world, client_for, text):
    company = world.sample(Enterprise)
    client = client_for("operator")
    api = client.patch(
        f"/api/v1/enterprises/companies/{company.pk}",
        json.dumps({"address": text}),
        content_type="application/json",
    )
    assert api.status_code == 422 and "address" in api.json()["errors"]
    company.refresh_from_db()
    assert company.address != text
    page = client.post(
        reverse("enterprises:enterprise_edit", args=[company.pk]),
        {
            "name": company.name,
            "credit_code": company.credit_code,
            "stage": company.stage,
            "address": text,
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and "has-error" in html  # the field is named, inline
    assert "控制字符" in html or "空字符" in html  # ours, or Django's own for a NUL
    company.refresh_from_db()
    assert company.address != text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[]", "application/json"),
        ("null", "application/json"),
        ("name=x", "text/plain"),
        ("3", "application/json"),
    ],
)
def test_a_body_that_is_not_one_json_object_is_a_422(world, client_for, body, content_type):
    company = world.sample(Enterprise)
    response = client_for("operator").patch(
        f"/api/v1/enterprises/companies/{company.pk}", body, content_type=content_type
    )
    assert response.status_code == 422 and "body" in response.json()["errors"]


def test_dates_outside_1900_to_2199_are_refused(world, client_for):
    lease = world.sample(Lease)
    for day in ("0001-01-01", "9999-12-31"):
        response = client_for("operator").post(
            "/api/v1/leasing/payments",
            json.dumps({"lease_id": lease.pk, "received_on": day, "amount": "1"}),
            content_type="application/json",
        )
        assert response.status_code in (409, 422), day  # the future is refused as such
        assert lease.payments.filter(received_on__year__in=[1, 9999]).count() == 0


def test_a_long_threshold_list_screens_without_breaking(world):
    app = world.sample(Application)
    rule = threshold_create(
        actor=world.users["admin"],
        instance=ThresholdRule(
            park=app.park, kind="industry_excluded", items="、".join(["C"] * 250)
        ),
    )
    results = screening_run(app)
    assert any(r.rule_id == rule.pk for r in results)
