"""Enterprise registry: rules, scope by role, masked contacts, qualification expiry, import."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook

from core.models import AuditEntry
from core.tokens import token_create
from enterprises import services
from enterprises.demo import credit_code
from enterprises.imports import COLUMNS, apply_import, plan_import
from enterprises.models import CatalogTag, Contact, Enterprise, Qualification

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in COLUMNS]


def workbook(rows) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_paid_in_capital_cannot_exceed_registered(world):
    company = world.sample(Enterprise)
    with pytest.raises(ValidationError) as exc:
        services.enterprise_update(
            actor=world.users["operator"],
            instance=company,
            data={"registered_capital_wan": 100, "paid_in_capital_wan": 200},
        )
    assert "paid_in_capital_wan" in exc.value.message_dict


@pytest.mark.parametrize(
    ("kind", "level", "field"),
    [
        ("specialised", "", "level"),  # 专精特新 needs its level
        ("high_tech", "national", "level"),  # 高新 has none
    ],
)
def test_qualification_levels(world, kind, level, field):
    with pytest.raises(ValidationError) as exc:
        services.qualification_create(
            actor=world.users["operator"],
            instance=Qualification(enterprise=world.sample(Enterprise), kind=kind, level=level),
        )
    assert field in exc.value.message_dict


def test_qualification_status_flags_expiry():
    q = Qualification(expires_on=datetime.date(2026, 12, 31))
    assert q.status(datetime.date(2026, 1, 1)) == "valid"
    assert q.status(datetime.date(2026, 11, 1)) == "expiring"
    assert q.status(datetime.date(2027, 1, 1)) == "expired"
    assert Qualification().status() == "valid"


def test_tenant_edits_own_company_only(world):
    tenant = world.users["tenant"]
    services.enterprise_update(
        actor=tenant, instance=world.sample(Enterprise), data={"address": "新地址"}
    )
    with pytest.raises(Http404):
        services.enterprise_update(
            actor=tenant, instance=world.sample(Enterprise, "B"), data={"address": "x"}
        )


def test_invalid_phone_is_refused_with_example(world):
    with pytest.raises(ValidationError) as exc:
        services.contact_create(
            actor=world.users["operator"],
            instance=Contact(enterprise=world.sample(Enterprise), name="X", phone="12345"),
        )
    assert "13812345678" in exc.value.message_dict["phone"][0]


def test_contacts_masked_for_fund_hidden_from_gov(world, client):
    contact = world.sample(Contact)
    url = f"/api/v1/enterprises/contacts/{contact.pk}"

    def get(role):
        _t, key = token_create(actor=world.users[role], name="t")
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")

    # staff see the number masked too, and reveal it on the page with a purpose
    assert get("operator").json()["phone"] == "138****5678"
    assert get("tenant").json()["phone"] == "13812345678"
    assert get("fund").json()["phone"] == "138****5678"
    assert get("gov").status_code == 403  # reviewers may never read contacts


def test_enterprise_page_has_tabs_and_flags(world, client_for):
    company = world.sample(Enterprise)
    page = client_for("gov").get(reverse("enterprises:enterprise_detail", args=[company.pk]))
    assert page.status_code == 200
    keys = [t.key for t in page.context["tabs"]]
    assert "qualifications" in keys and "contacts" not in keys  # gov never sees contacts
    tab = client_for("operator").get(
        reverse("enterprises:enterprise_detail", args=[company.pk]) + "?tab=contacts"
    )
    assert b"138****5678" in tab.content  # staff reveal it with a purpose
    own = client_for("tenant").get(
        reverse("enterprises:enterprise_detail", args=[company.pk]) + "?tab=contacts"
    )
    assert b"13812345678" in own.content  # the company's own people


def test_api_create_normalises_credit_code_and_rejects_bad_one(world, client):
    _t, key = token_create(actor=world.users["gov"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    good = credit_code("91110108MA03X1Y2W")
    body = {"name": "新公司", "credit_code": " " + good.lower() + " "}
    created = client.post(
        "/api/v1/enterprises/companies", json.dumps(body), content_type="application/json", **auth
    )
    assert created.status_code == 201 and created.json()["credit_code"] == good
    bad = {"name": "坏公司", "credit_code": good[:-1] + ("0" if good[-1] != "0" else "1")}
    refused = client.post(
        "/api/v1/enterprises/companies", json.dumps(bad), content_type="application/json", **auth
    )
    assert refused.status_code == 422
    assert "校验位错误" in refused.json()["errors"]["credit_code"][0]


def test_api_patch_with_null_for_a_list_or_required_field_names_the_field(world, client_for):
    company = world.sample(Enterprise)
    client = client_for("operator")
    url = f"/api/v1/enterprises/companies/{company.pk}"
    before = (company.name, sorted(company.tags.values_list("pk", flat=True)))
    for body in ({"tag_ids": None}, {"name": None}):
        refused = client.patch(url, json.dumps(body), content_type="application/json")
        assert refused.status_code == 422, refused.content
        assert list(refused.json()["errors"]) == list(body)
    company.refresh_from_db()
    assert (company.name, sorted(company.tags.values_list("pk", flat=True))) == before
    emptied = client.patch(url, json.dumps({"tag_ids": []}), content_type="application/json")
    assert emptied.status_code == 200 and emptied.json()["tags"] == []


GOOD = [
    [
        "新材科技有限公司",
        credit_code("91110108MA04A1B2C"),
        "30",
        "成长期",
        "2019-06-01",
        1000,
        600,
        "赵六",
        "北京市海淀区",
        "新材料、节能环保",
    ]
]


def test_import_creates_then_is_idempotent(world):
    operator = world.users["operator"]
    plan = apply_import(workbook(GOOD), actor=operator)
    assert plan.summary()["create"] == 1
    company = Enterprise.objects.get(credit_code=GOOD[0][1])
    assert company.industry.code == "30" and company.stage == "growth"
    assert sorted(t.name for t in company.tags.all()) == ["新材料", "节能环保"]
    audit = AuditEntry.objects.count()
    again = apply_import(workbook(GOOD), actor=operator)
    assert again.summary()["unchanged"] == 1 and AuditEntry.objects.count() == audit


def test_import_failure_modes_import_nothing(world):
    code = credit_code("91110108MA04D1E2F")
    rows = [
        GOOD[0],
        [
            "坏代码公司",
            "91110108MA04D1E2F0" if code[-1] != "0" else "91110108MA04D1E2F1",
            "39",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],  # 3 check
        ["重复公司", GOOD[0][1], None, None, None, None, None, None, None, None],  # 4 dup
        [
            "行业错",
            credit_code("91110108MA04G1H2J"),
            "99",
            "青年期",
            "明天",
            "一千",
            5,
            None,
            None,
            "元宇宙",
        ],  # 5 many
        [
            "资本倒挂",
            credit_code("91110108MA04K1L2M"),
            None,
            None,
            None,
            100,
            200,
            None,
            None,
            None,
        ],  # 6 capital
        [
            "",
            credit_code("91110108MA04N1P2Q"),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ],  # 7 name
    ]
    before = (Enterprise.objects.count(), AuditEntry.objects.count())
    plan = apply_import(workbook(rows), actor=world.users["operator"])
    assert not plan.ok and (Enterprise.objects.count(), AuditEntry.objects.count()) == before
    problems = {(r.row, c) for r in plan.rows for c, _ in r.errors}
    assert problems == {
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "行业代码"),
        (5, "成长阶段"),
        (5, "成立日期"),
        (5, "注册资本(万元)"),
        (5, "园区标签"),
        (6, "实缴资本(万元)"),
        (7, "企业名称"),
    }


def test_tenant_cannot_import_over_other_companies(world):
    row = ["乙科技有限公司", world.sample(Enterprise, "B").credit_code] + [None] * 8
    plan = plan_import(workbook([row]), user=world.users["tenant"])
    assert not plan.ok and "无权修改" in plan.rows[0].errors[0][1]


def test_a_tenant_edits_its_company_but_not_its_credit_code_or_park_tags(world, client_for):
    from enterprises.selectors import company_of

    tenant = client_for("tenant")
    company = company_of(world.users["tenant"])
    url = f"/api/v1/enterprises/companies/{company.pk}"
    renamed = tenant.patch(
        url, json.dumps({"address": "北京市海淀区新址"}), content_type="application/json"
    )
    assert renamed.status_code == 200
    tag = CatalogTag.objects.exclude(pk__in=company.tags.values("pk")).first()
    tagged = tenant.patch(url, json.dumps({"tag_ids": [tag.pk]}), content_type="application/json")
    assert tagged.status_code == 422
    assert "tag_ids" in tagged.json()["errors"]
    assert not company.tags.filter(pk=tag.pk).exists()
    operator = client_for("operator").patch(
        url, json.dumps({"tag_ids": [tag.pk]}), content_type="application/json"
    )
    assert operator.status_code == 200 and company.tags.filter(pk=tag.pk).exists()


def test_a_qualification_a_company_enters_counts_once_staff_verify_it(world, client_for):
    from enterprises.filters import EnterpriseFilter
    from enterprises.selectors import company_of

    company = company_of(world.users["tenant"])
    body = {"enterprise_id": company.pk, "kind": "unicorn", "certificate_no": "UN-1"}
    made = client_for("tenant").post(
        "/api/v1/enterprises/qualifications", json.dumps(body), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["verified"] is False
    counted = EnterpriseFilter({"qualification": "unicorn"}, queryset=Enterprise.objects.all()).qs
    assert company not in counted  # 待核验: it does not count yet
    qualification = Qualification.objects.get(pk=made.json()["id"])
    refused = client_for("tenant").post(f"/enterprises/qualifications/{qualification.pk}/verify/")
    assert refused.status_code == 404
    done = client_for("operator").post(f"/enterprises/qualifications/{qualification.pk}/verify/")
    assert done.status_code == 302
    qualification.refresh_from_db()
    assert qualification.verified_at is not None
    counted = EnterpriseFilter({"qualification": "unicorn"}, queryset=Enterprise.objects.all()).qs
    assert company in counted
