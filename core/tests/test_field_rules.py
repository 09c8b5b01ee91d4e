"""Field rules of the permission layer: what a role may not read of a row it may see is absent
(or masked) on every output — detail pages, lists, API schemas, the change log (tab and API),
forms. Each test below failed on the platform before field rules existed (the leaks of the
platform review)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from admissions import services as admissions
from admissions.choices import AppState
from admissions.models import Application
from core import audit
from core.choices import AuditAction
from core.models import Notification, User
from core.notifications import notify
from core.permissions import HIDE, MASK, SHOW, field_access, redact_changes
from enterprises import services as enterprises
from enterprises.models import Contact, Enterprise

pytestmark = pytest.mark.django_db

BUDGET = Decimal("4.37")  # a value that appears nowhere else in a page


def _history_api(client, obj):
    meta = obj._meta
    response = client.get(f"/api/v1/audit/{meta.app_label}/{meta.model_name}/{obj.pk}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)["items"]


def _history_tab(client, url):
    response = client.get(url + "?tab=history", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_field_access_per_role(world):
    users = world.users
    assert field_access(users["gov"], Application, "budget_rent") == HIDE
    assert field_access(users["operator"], Application, "budget_rent") == SHOW
    assert field_access(users["admin"], Application, "budget_rent") == SHOW
    assert field_access(users["fund"], Contact, "phone") == MASK
    assert field_access(users["tenant"], Contact, "phone") == SHOW
    changes = {"phone": ["13812345678", "13912345678"], "name": ["甲", "乙"]}
    assert redact_changes(users["fund"], Contact, changes) == {
        "phone": ["138****5678", "139****5678"],
        "name": ["甲", "乙"],
    }


def test_government_reviewer_never_reads_the_rent_budget_in_the_change_log(world, client_for):
    app = world.sample(Application)
    audit.record(
        actor=world.users["admin"],
        instance=app,
        action=AuditAction.UPDATE,
        changes={"budget_rent": ["3.99", str(BUDGET)], "headcount": [30, 31]},
    )
    gov, operator = client_for("gov"), client_for("operator")
    gov_log = _history_api(gov, app)
    assert gov_log[0]["changes"] == {"headcount": [30, 31]}
    assert _history_api(operator, app)[0]["changes"]["budget_rent"] == ["3.99", "4.37"]
    url = f"/admissions/applications/{app.pk}/"
    assert "4.37" not in _history_tab(gov, url)
    assert "4.37" in _history_tab(operator, url)


def test_government_reviewer_never_reads_the_budget_on_the_page_api_or_form(world, client_for):
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(budget_rent=BUDGET)
    gov = client_for("gov")
    assert "4.37" not in gov.get(f"/admissions/applications/{app.pk}/").content.decode()
    body = json.loads(gov.get(f"/api/v1/admissions/applications/{app.pk}").content)
    assert body["budget_rent"] is None and body["headcount"] == 30
    listing = json.loads(gov.get("/api/v1/admissions/applications").content)
    assert len(listing["items"]) >= 1
    assert all(row["budget_rent"] is None for row in listing["items"])
    # the reviewer who started this draft edits it without the field (and cannot erase it)
    form = gov.get(f"/admissions/applications/{app.pk}/edit/").content.decode()
    assert 'name="budget_rent"' not in form and 'name="headcount"' in form
    operator_body = json.loads(
        client_for("operator").get(f"/api/v1/admissions/applications/{app.pk}").content
    )
    assert operator_body["budget_rent"] == "4.37"


def _assessed(world) -> Application:
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(state=AppState.RISK)
    app.refresh_from_db()
    admissions.risk_assess(
        actor=world.users["operator"],
        application=app,
        revenue_last_year=Decimal("12345678.91"),
        revenue_prev_year=Decimal("9876543.21"),
        debt_ratio_pct=Decimal("47.5"),
        litigation=False,
        dishonest_debtor=False,
    )
    return app


def test_risk_assessment_change_log_keeps_the_company_finances_from_reviewers(world, client_for):
    app = _assessed(world)
    gov, operator = client_for("gov"), client_for("operator")
    gov_changes = _history_api(gov, app.risk)[0]["changes"]
    assert set(gov_changes) == {"score", "grade", "assessed_by", "application"}
    operator_changes = _history_api(operator, app.risk)[0]["changes"]
    assert operator_changes["revenue_last_year"] == [None, "12345678.91"]
    assert "arrears_count" in operator_changes and "factors" in operator_changes
    tab = gov.get(f"/admissions/applications/{app.pk}/?tab=risk", HTTP_HX_REQUEST="true")
    assert "12345678" not in tab.content.decode()


def test_contact_phone_is_masked_for_fund_managers_in_every_output(world, client_for):
    contact = enterprises.contact_create(
        actor=world.users["operator"],
        instance=Contact(enterprise=world.sample(Enterprise), name="王五", phone="13911112222"),
    )
    fund = client_for("fund")
    log = _history_api(fund, contact)[0]["changes"]
    assert log["phone"] == [None, "139****2222"]
    assert "13911112222" not in _history_tab(fund, f"/enterprises/contacts/{contact.pk}/")
    detail = fund.get(f"/enterprises/contacts/{contact.pk}/").content.decode()
    assert "139****2222" in detail and "13911112222" not in detail
    api = json.loads(fund.get(f"/api/v1/enterprises/contacts/{contact.pk}").content)
    assert api["phone"] == "139****2222"
    operator = client_for("operator")  # staff too, until they reveal it with a purpose
    assert json.loads(operator.get(f"/api/v1/enterprises/contacts/{contact.pk}").content)[
        "phone"
    ] == ("139****2222")
    tenant = client_for("tenant")  # the company's own people
    assert json.loads(tenant.get(f"/api/v1/enterprises/contacts/{contact.pk}").content)[
        "phone"
    ] == ("13911112222")


def test_contacts_an_operator_collected_stay_with_that_operator(world, client_for):
    company = world.sample(Enterprise, "B")  # in the shared registry, seen by every operator
    collected = enterprises.contact_create(
        actor=world.sample(User, "B"),  # operator B's staff
        instance=Contact(enterprise=company, name="赵六", phone="13700001111"),
    )
    assert collected.operator == world.operators["B"]
    own = Contact.objects.create(enterprise=company, name="本企业", phone="13700002222")
    operator = client_for("operator")  # operator A's staff
    listing = json.loads(
        operator.get(f"/api/v1/enterprises/contacts?enterprise_id={company.pk}").content
    )
    ids = {row["id"] for row in listing["items"]}
    assert own.pk in ids and collected.pk not in ids
    assert operator.get(f"/api/v1/enterprises/contacts/{collected.pk}").status_code == 404
    tab = operator.get(f"/enterprises/companies/{company.pk}/?tab=contacts")
    assert "13700001111" not in tab.content.decode()


def test_the_companys_own_contacts_are_read_only_to_operators(world, client_for):
    tenant_company = world.sample(Enterprise)
    staff_note = enterprises.contact_create(
        actor=world.users["operator"],
        instance=Contact(enterprise=tenant_company, name="钱七", phone="13600002222"),
    )
    mine = enterprises.contact_create(
        actor=world.users["tenant"],
        instance=Contact(enterprise=tenant_company, name="孙八", phone="13600003333"),
    )
    assert mine.operator is None and staff_note.operator == world.operators["A"]
    tenant = client_for("tenant")  # the company sees all of its own people
    ids = {
        row["id"] for row in json.loads(tenant.get("/api/v1/enterprises/contacts").content)["items"]
    }
    assert {mine.pk, staff_note.pk} <= ids
    operator = client_for("operator")
    assert operator.get(f"/api/v1/enterprises/contacts/{mine.pk}").status_code == 200
    refused = operator.patch(
        f"/api/v1/enterprises/contacts/{mine.pk}", {"name": "改名"}, content_type="application/json"
    )
    assert refused.status_code == 404
    mine.refresh_from_db()
    assert mine.name == "孙八"


def test_matches_go_through_the_permission_layer(world, client_for):
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(budget_rent=BUDGET)
    url = f"/api/v1/admissions/applications/{app.pk}/matches"
    # a tenant may not view units: the unit codes and list rents are not its to read
    assert client_for("tenant").get(url).status_code in (403, 404)
    gov = json.loads(client_for("gov").get(url).content)
    assert gov["items"], "the reviewer may see the park's units"
    assert not any("4.37" in reason for m in gov["items"] for reason in m["reasons"])
    operator = json.loads(client_for("operator").get(url).content)
    assert any("4.37" in reason for m in operator["items"] for reason in m["reasons"])


def test_matching_tab_answers_for_a_move_in_date_of_29_february(world, client_for):
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(
        move_in_on=datetime.date(2028, 2, 29), state=AppState.APPROVED
    )
    response = client_for("operator").get(f"/admissions/applications/{app.pk}/?tab=matching")
    assert response.status_code == 200
    assert 'value="2031-02-28"' in response.content.decode()  # three years, Civil Code months


def test_notifications_reach_only_who_may_see_the_row_and_follow_its_field_rules(
    world, django_capture_on_commit_callbacks
):
    app = world.sample(Application)
    Application.objects.filter(pk=app.pk).update(budget_rent=BUDGET)
    app.refresh_from_db()
    everyone = [*world.users.values(), world.sample(User, "B")]
    with django_capture_on_commit_callbacks(execute=True):
        notify(everyone, "Budget %(budget_rent)s", about=app, params={"budget_rent": BUDGET})
    got = {n.user.username: n.text for n in Notification.objects.all()}
    # the fund manager may not see applications, operator B not this park's
    assert got == {
        "admin": "Budget 4.37",
        "operator": "Budget 4.37",
        "tenant": "Budget 4.37",
        "gov": "Budget —",
    }
