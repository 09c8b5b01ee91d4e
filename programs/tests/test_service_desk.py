"""The service desk: SLA arithmetic over the State Council's holidays (the Spring Festival and
a 调休 Saturday) with the provisional fallback, the request workflow with the clock paused
while waiting for the company, messages (internal notes never reach the company), rating,
and the API."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from core.errors import ConflictError
from core.models import AuditEntry
from enterprises.models import Enterprise
from programs import services, sla
from programs.choices import RequestState, ServiceCategory
from programs.models import RequestMessage, ServiceKind, ServiceRequest
from programs.selectors import queue, with_breach
from spaces.models import Park

D = datetime.date


# working days --------------------------------------------------------------------------------
def test_a_day_of_sla_from_friday_before_the_spring_festival_is_the_make_up_saturday():
    due = sla.add_workdays(D(2026, 2, 13), 1)  # Friday; Saturday 14 Feb 2026 was worked (调休)
    assert due == sla.Due(D(2026, 2, 14), provisional=False)


def test_the_spring_festival_holidays_are_skipped():
    # Thursday 12 Feb + 5 working days: 13, 14 (调休), then 24, 25, 26 after 15–23 Feb off
    assert sla.add_workdays(D(2026, 2, 12), 5).day == D(2026, 2, 26)
    assert sla.workdays_between(D(2026, 2, 13), D(2026, 2, 25)) == 3  # 14, 24, 25


def test_national_day_and_its_make_up_saturday():
    # Monday 28 Sep + 5: 29, 30 Sep, 8, 9 Oct and Saturday 10 Oct (调休)
    assert sla.add_workdays(D(2026, 9, 28), 5).day == D(2026, 10, 10)


def test_a_year_the_schedule_does_not_cover_falls_back_to_weekends_and_says_so():
    due = sla.add_workdays(D(2026, 12, 30), 3)  # 31 Dec (known), then 2027: unpublished
    assert due.provisional is True
    assert due.day == D(2027, 1, 4)  # Fri 1 Jan counted as a weekday, the weekend skipped
    assert sla.add_workdays(D(2026, 12, 1), 3).provisional is False


# the request workflow ---------------------------------------------------------------------

FIRST_DAY = D(2026, 2, 10)


def open_request(world, day=FIRST_DAY, sla_days=3, actor="tenant"):
    kind = ServiceKind.objects.create(
        operator=world.operators["A"],
        name=f"政策申报{sla_days}",
        category=ServiceCategory.POLICY,
        sla_days=sla_days,
    )
    return services.request_open(
        actor=world.users[actor],
        instance=ServiceRequest(
            park=world.sample(Park),
            enterprise=world.sample(Enterprise),
            kind=kind,
            subject="高新技术企业认定",
            description="请协助准备材料",
        ),
        today=day,
    )


@pytest.mark.django_db
def test_a_company_opens_a_request_due_in_working_days(world):
    request = open_request(world)
    assert request.state == RequestState.OPEN and request.opened_by == world.users["tenant"]
    assert request.enterprise == world.sample(Enterprise)  # its own company
    assert request.due_on == D(2026, 2, 13) and request.due_provisional is False


@pytest.mark.django_db
def test_waiting_for_the_company_pauses_the_clock(world):
    request = open_request(world)  # due Fri 13 Feb
    operator = world.users["operator"]
    services.request_transition(
        actor=operator, request=request, action="accept", today=D(2026, 2, 11)
    )
    services.request_transition(
        actor=operator, request=request, action="wait", today=D(2026, 2, 12)
    )
    request.refresh_from_db()
    assert request.state == RequestState.WAITING and request.paused_on == D(2026, 2, 12)
    assert not request.breached(D(2026, 3, 1))  # paused: not late
    # the company's reply on 25 Feb resumes it: 4 working days waited (13, 14, 24, 25)
    services.message_add(
        actor=world.users["tenant"], request=request, body="材料已补充", today=D(2026, 2, 25)
    )
    request.refresh_from_db()
    assert request.state == RequestState.IN_PROGRESS and request.paused_on is None
    assert request.paused_days == 4 and request.due_on == D(2026, 2, 26)
    services.request_transition(
        actor=operator, request=request, action="resolve", comment="已提交", today=D(2026, 2, 27)
    )
    request.refresh_from_db()
    assert request.breached(D(2026, 3, 1)) is True  # resolved the day after the due day
    flagged = with_breach(ServiceRequest.objects.filter(pk=request.pk), D(2026, 3, 1)).get()
    assert flagged.is_breached is True


@pytest.mark.django_db
def test_resolving_needs_the_resolution_and_the_company_rates_and_closes(world):
    request = open_request(world)
    operator, tenant = world.users["operator"], world.users["tenant"]
    with pytest.raises(ConflictError) as exc:
        services.request_transition(actor=operator, request=request, action="resolve")
    assert exc.value.code == "reason_required"
    with pytest.raises(ConflictError):  # a company does not resolve its own request
        services.request_transition(actor=tenant, request=request, action="resolve", comment="x")
    services.request_transition(actor=operator, request=request, action="resolve", comment="已办结")
    with pytest.raises(ConflictError):  # staff do not rate the company's experience
        services.request_rate(actor=operator, request=request, rating=5)
    with pytest.raises(ValidationError):
        services.request_rate(actor=tenant, request=request, rating=6)
    services.request_rate(actor=tenant, request=request, rating=4, comment="响应及时")
    request.refresh_from_db()
    assert request.state == RequestState.CLOSED and request.rating == 4


@pytest.mark.django_db
def test_internal_notes_never_reach_the_company(world, client_for):
    request = open_request(world)
    services.message_add(
        actor=world.users["operator"], request=request, body="内部：报价偏高", internal=True
    )
    services.message_add(actor=world.users["operator"], request=request, body="已受理，请稍候")
    with pytest.raises(ConflictError):
        services.message_add(actor=world.users["tenant"], request=request, body="x", internal=True)
    seen = RequestMessage.objects.restrict(world.users["tenant"]).filter(request=request)
    assert [m.body for m in seen] == ["已受理，请稍候"]
    api = client_for("tenant").get(f"/api/v1/programs/messages?request={request.pk}")
    assert api.status_code == 200 and "内部" not in api.content.decode()
    page = client_for("tenant").get(f"/programs/requests/{request.pk}/")
    assert page.status_code == 200 and "内部：报价偏高" not in page.content.decode()
    staff_page = client_for("operator").get(f"/programs/requests/{request.pk}/")
    assert "内部：报价偏高" in staff_page.content.decode()


@pytest.mark.django_db
def test_a_service_of_another_operator_is_refused(world):
    kind = ServiceKind.objects.create(
        operator=world.operators["B"], name="别家服务", category=ServiceCategory.IP, sla_days=5
    )
    with pytest.raises(ValidationError) as exc:
        services.request_open(
            actor=world.users["operator"],
            instance=ServiceRequest(
                park=world.sample(Park),
                enterprise=world.sample(Enterprise),
                kind=kind,
                subject="x",
                description="y",
            ),
        )
    assert "kind" in exc.value.message_dict


@pytest.mark.django_db
def test_assignment_is_to_the_park_staff_only(world, client_for):
    request = open_request(world)
    with pytest.raises(ConflictError):  # a company does not pick who serves it
        services.request_assign(
            actor=world.users["tenant"], request=request, assignee=world.users["operator"]
        )
    with pytest.raises(ValidationError):
        services.request_assign(
            actor=world.users["operator"], request=request, assignee=world.users["gov"]
        )
    services.request_assign(
        actor=world.users["operator"], request=request, assignee=world.users["operator"]
    )
    request.refresh_from_db()
    assert request.assignee == world.users["operator"]
    mine = client_for("operator").get("/api/v1/programs/requests?mine=true").json()["items"]
    assert [r["id"] for r in mine] == [request.pk]  # the manager's own queue


@pytest.mark.django_db
def test_the_queue_flags_breaches_in_one_query(world, django_assert_max_num_queries):
    for n in range(5):
        open_request(world, day=D(2026, 3, 2 + n), sla_days=1 + n)
    with django_assert_max_num_queries(1):
        rows = list(queue(world.users["operator"], D(2026, 3, 5)))
    assert rows and all(r.is_breached == r.breached(D(2026, 3, 5)) for r in rows)
    assert any(r.is_breached for r in rows) and not all(r.is_breached for r in rows)


@pytest.mark.django_db
def test_the_api_opens_moves_and_rates(world, client_for):
    kind = ServiceKind.objects.create(
        operator=world.operators["A"],
        name="融资对接",
        category=ServiceCategory.FINANCING,
        sla_days=10,
    )
    tenant, operator = client_for("tenant"), client_for("operator")
    opened = tenant.post(
        "/api/v1/programs/requests",
        json.dumps(
            {
                "park_id": world.sample(Park).pk,
                "kind_id": kind.pk,
                "subject": "A 轮融资",
                "description": "对接基金",
            }
        ),
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert body["enterprise_id"] == world.sample(Enterprise).pk and body["actions"] == ["cancel"]
    url = f"/api/v1/programs/requests/{body['id']}"
    moved = operator.post(
        f"{url}/transition", json.dumps({"action": "resolve"}), content_type="application/json"
    )
    assert moved.status_code == 409 and moved.json()["code"] == "reason_required"
    # a reason as long as the API takes (4,000 characters) is kept whole in the audit trail:
    # its comment column was varchar(500), which PostgreSQL refused with a 500
    reason = "已安排与两家基金的路演并跟进投资意向。" * 210
    moved = operator.post(
        f"{url}/transition",
        json.dumps({"action": "resolve", "comment": reason}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["state"] == "resolved"
    entry = AuditEntry.objects.filter(
        object_id=str(body["id"]), content_type__model="servicerequest"
    ).latest("at")
    assert entry.comment == reason and len(reason) == 3990
    rated = tenant.post(f"{url}/rating", json.dumps({"rating": 5}), content_type="application/json")
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    edit = tenant.patch(url, json.dumps({"subject": "改"}), content_type="application/json")
    assert edit.status_code == 409  # done: not edited
    assert client_for("gov").get("/api/v1/programs/requests").status_code == 403
