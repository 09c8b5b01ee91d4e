"""Unit import from the Chinese .xlsx template: dry run, all-or-nothing, idempotence, errors."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditEntry, BackgroundJob
from spaces.imports import HEADERS, apply_import, export_units, plan_import, template_workbook
from spaces.models import Floor, Unit

pytestmark = pytest.mark.django_db

GOOD = [
    ["PA", "B1", 1, "A-201", "办公", 320.5, 4.2, 3.5, 60, 4.8, "空置", None],
    ["PA", "B1", 2, "A-202", "厂房", "1200", "8.5", "12", "400", "3.2", "", "2026-12-01"],
]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_dry_run_writes_nothing_and_says_what_would_happen(world):
    before = (Unit.objects.count(), Floor.objects.count(), AuditEntry.objects.count())
    plan = plan_import(workbook(GOOD), user=world.users["operator"])
    assert plan.ok
    assert [r.action for r in plan.rows] == ["create", "create"]
    assert (Unit.objects.count(), Floor.objects.count(), AuditEntry.objects.count()) == before


def test_apply_creates_units_floors_and_is_idempotent(world):
    operator = world.users["operator"]
    content = workbook(GOOD)
    plan = apply_import(content, actor=operator)
    assert plan.summary() == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    unit = Unit.objects.get(code="A-202")
    assert unit.floor.number == 2 and unit.area_m2 == Decimal("1200")
    assert unit.use == "workshop" and unit.status == "vacant"
    assert str(unit.available_from) == "2026-12-01"
    audit_count = AuditEntry.objects.count()
    again = apply_import(content, actor=operator)
    assert again.summary() == {"create": 0, "update": 0, "unchanged": 2, "error": 0}
    assert AuditEntry.objects.count() == audit_count


def test_reimport_with_a_change_updates_only_that_unit(world):
    operator = world.users["operator"]
    apply_import(workbook(GOOD), actor=operator)
    changed = [GOOD[0], [*GOOD[1][:9], "3.6", *GOOD[1][10:]]]
    plan = plan_import(workbook(changed), user=operator)
    assert [r.action for r in plan.rows] == ["unchanged", "update"]
    assert plan.rows[1].changes == {"list_rent": (Decimal("3.20"), Decimal("3.6"))}
    apply_import(workbook(changed), actor=operator)
    assert Unit.objects.get(code="A-202").list_rent == Decimal("3.60")


def test_full_width_digits_and_units_are_normalised_with_a_note(world):
    row = [
        "ＰＡ",
        "B1",
        "１",
        "A-203",
        "办公",
        "３２０㎡",
        "6.5米",
        "3.5",
        "60kVA",
        "4.8",
        "空置",
        None,
    ]
    plan = plan_import(workbook([row]), user=world.users["operator"])
    assert plan.ok, plan.rows[0].errors
    values = plan.rows[0].values
    assert values["clear_height_m"] == Decimal("6.5") and values["area_m2"] == Decimal("320")
    notes = " ".join(f"{c}{n}" for c, n in plan.rows[0].notes)
    assert "净高(m)" in notes and "米" in notes and "建筑面积(㎡)" in notes


def test_file_with_bad_rows_imports_nothing_and_reports_each_problem(world):
    rows = [
        GOOD[0],  # row 2 fine
        ["PA", "B1", 1, "A-301", "办公", "abc", 4, 3.5, 60, 4.8, None, None],  # 3 type
        ["PA", "B1", 1, "A-302", "办公", 100, "6.5 feet", 3.5, 60, 4.8, None, None],  # 4 unit
        ["PA", "B1", 1, "A-201", "办公", 100, 4, 3.5, 60, 4.8, None, None],  # 5 dup
        ["PA", "B1", 1, "A-303", "食堂", 100, 1.5, 3.5, 60, 4.8, None, None],  # 6 use+height
        ["PA", "B1", 9, "A-304", "办公", 100, 4, 3.5, 60, 4.8, None, None],  # 7 floor
        ["PB", "B1", 1, "B-1", "办公", 100, 4, 3.5, 60, 4.8, None, None],  # 8 scope
        ["PA", "B1", 1, "", "办公", 100, 4, 3.5, 60, 4.8, None, "2026-13-01"],  # 9 empty+date
    ]
    before = (Unit.objects.count(), AuditEntry.objects.count())
    plan = apply_import(workbook(rows), actor=world.users["operator"])
    assert not plan.ok
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before
    problems = {(r.row, col) for r in plan.rows for col, _ in r.errors}
    assert problems == {
        (3, "建筑面积(㎡)"),
        (4, "净高(m)"),
        (5, "单元编码"),
        (6, "用途"),
        (6, "净高(m)"),
        (7, "楼层"),
        (8, "园区编码"),
        (9, "单元编码"),
        (9, "可租日期"),
    }
    duplicate = next(reason for r in plan.rows if r.row == 5 for _, reason in r.errors)
    assert "2" in duplicate  # names the first row


def test_missing_columns_are_named(world):
    headers = [h for h in HEADERS if h not in ("净高(m)", "用途")]
    plan = plan_import(workbook([], headers=headers), user=world.users["operator"])
    assert not plan.ok and "净高(m)" in plan.file_errors[0] and "用途" in plan.file_errors[0]


def test_not_an_xlsx_file(world):
    plan = plan_import(b"name,area\nA,1\n", user=world.users["operator"])
    assert not plan.ok and ".xlsx" in plan.file_errors[0]


def test_template_and_export_round_trip(world):
    template = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in template.active[1]] == HEADERS
    exported = export_units(
        Unit.objects.filter(park__code="PA").select_related("park", "building", "floor")
    )
    plan = plan_import(exported, user=world.users["operator"])
    assert plan.ok and [r.action for r in plan.rows] == ["unchanged"]


def test_import_page_dry_run_then_confirm_runs_the_task(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("operator")
    upload = SimpleUploadedFile("units.xlsx", workbook(GOOD))
    response = client.post(reverse("spaces:unit_import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    check = response.context["job"]  # the dry run ran as a job of its own
    assert check is not None and check.kind == "check:spaces.unit"
    assert response.context["summary"]["create"] == 2 and b"A-201" in response.content
    assert Unit.objects.filter(code="A-201").count() == 0
    response = client.post(reverse("spaces:unit_import"), {"job": check.pk})
    assert response.status_code == 302
    job = BackgroundJob.objects.get(kind="spaces.unit")
    assert job.status == "done" and job.result["summary"]["create"] == 2
    assert Unit.objects.filter(code__in=["A-201", "A-202"]).count() == 2
    progress = client.get(reverse("core:job_detail", args=[job.pk]))
    assert progress.status_code == 200 and b"100%" in progress.content
    # another user cannot see the job
    assert client_for("admin").get(reverse("core:job_detail", args=[job.pk])).status_code == 404
    # confirming the same dry run again imports nothing more: it shows the first import
    again = client.post(reverse("spaces:unit_import"), {"job": check.pk})
    assert again.url == reverse("core:job_detail", args=[job.pk])
    assert BackgroundJob.objects.filter(kind="spaces.unit").count() == 1


def test_import_page_with_errors_offers_no_confirmation(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = [["PA", "B1", 1, "A-1", "办公", "x", 4, 3.5, 60, 4.8, None, None]]
    client = client_for("operator")
    response = client.post(
        reverse("spaces:unit_import"),
        {"file": SimpleUploadedFile("u.xlsx", workbook(bad))},
        follow=True,
    )
    assert response.context["job"] is None  # nothing to confirm
    assert "建筑面积(㎡)".encode() in response.content
    check = BackgroundJob.objects.get()
    assert client.post(reverse("spaces:unit_import"), {"job": check.pk}).status_code == 404
    assert not BackgroundJob.objects.filter(kind="spaces.unit").exists()


def test_progress_covers_checking_and_writing(world):
    reported: list[tuple[int, int]] = []
    apply_import(
        workbook(GOOD), actor=world.users["operator"], progress=lambda *p: reported.append(p)
    )
    assert reported == [(2, 4), (4, 4)]  # checked both rows, then wrote both


@pytest.mark.django_db(transaction=True)
def test_progress_is_seen_by_other_connections_while_the_import_runs(world):
    import threading

    from django.db import connection, transaction

    from core.jobs import job_create

    job = job_create(actor=world.users["operator"], kind="spaces.unit", title="导入")
    seen: list[tuple[int, int]] = []

    def the_progress_page() -> None:  # another thread: another database connection
        try:
            seen.append(BackgroundJob.objects.get(pk=job.pk).progress)
        finally:
            connection.close()

    with transaction.atomic():  # the import's all-or-nothing transaction
        job.advance(50, 100)
        reader = threading.Thread(target=the_progress_page)
        reader.start()
        reader.join()
    assert seen == [(50, 100)]


def test_a_workbook_that_expands_too_far_or_runs_too_long_is_refused(world, monkeypatch):
    import zipfile as zf

    from core import imports as engine

    bomb = io.BytesIO()
    with zf.ZipFile(bomb, "w", zf.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (engine.MAX_EXPANDED_BYTES + 1))
    plan = plan_import(bomb.getvalue(), user=world.users["operator"])
    assert not plan.ok and "MB" in plan.file_errors[0]
    monkeypatch.setattr(engine, "MAX_ROWS", 1)
    plan = plan_import(workbook(GOOD), user=world.users["operator"])
    assert not plan.ok and "1" in plan.file_errors[0]  # the limit, named
    assert not Unit.objects.filter(code__in=["A-201", "A-202"]).exists()


def test_a_job_whose_worker_died_fails_and_runs_again(world, client_for):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    client = client_for("operator")
    check = client.post(
        reverse("spaces:unit_import"),
        {"file": SimpleUploadedFile("units.xlsx", workbook(GOOD))},
        follow=True,
    ).context["job"]
    from core.jobs import job_create

    # the import job as confirming queues it (not run here: a worker takes it and dies)
    job = job_create(
        actor=world.users["operator"], kind="spaces.unit", title="t", payload=bytes(check.payload)
    )
    # the worker took the job and was killed before writing anything (and no earlier test's
    # job of the same id left a sign of life in the progress cache)
    from django.core.cache import caches

    caches["progress"].clear()
    BackgroundJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and "10" in job.message
    assert b"/rerun/" in page.content
    again = client.post(reverse("core:job_rerun", args=[job.pk]))
    new = BackgroundJob.objects.latest("id")
    assert again.status_code == 302 and new.pk != job.pk and new.status == "done"
    assert Unit.objects.filter(code__in=["A-201", "A-202"]).count() == 2
    # a job that is still reporting is left alone
    fresh = BackgroundJob.objects.create(
        user=world.users["operator"], kind="spaces.unit", title="t"
    )
    fresh.status, fresh.started_at = "running", timezone.now()
    fresh.save()
    assert not fresh.fail_if_stale()
    assert client_for("admin").post(reverse("core:job_rerun", args=[job.pk])).status_code == 404


def test_the_dry_run_is_a_task_whose_result_is_paged_and_filtered(world, client_for, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.views.imports import ImportView

    monkeypatch.setattr(ImportView, "ROWS_PER_PAGE", 1)
    bad = ["PA", "B1", 1, "A-203", "办公", "x", 4, 3.5, 60, 4.8, None, None]
    client = client_for("operator")
    response = client.post(
        reverse("spaces:unit_import"),
        {"file": SimpleUploadedFile("units.xlsx", workbook([*GOOD, bad]))},
    )
    check = BackgroundJob.objects.get(kind="check:spaces.unit")
    assert response.url == reverse("spaces:unit_import") + f"?job={check.pk}"
    assert check.status == "done" and check.result["plan"]["summary"]["error"] == 1
    page = client.get(response.url)
    # problems first when there are any: the one bad row, on a page of its own
    assert page.context["show"] == "problems" and [r["row"] for r in page.context["page_obj"]] == [
        4
    ]
    assert "建筑面积(㎡)".encode() in page.content
    every = client.get(response.url + "&show=all&page=2")
    assert [r["row"] for r in every.context["page_obj"]] == [3]
    assert every.context["page_obj"].paginator.num_pages == 3
    assert b"A-202" in every.content and b"A-201" not in every.content
    # the dry run of another user, or of another kind, is not there
    assert client_for("admin").get(response.url).status_code == 404
    assert (
        client.get(reverse("enterprises:enterprise_import") + f"?job={check.pk}").status_code == 404
    )


def test_a_dry_run_still_running_shows_its_progress_and_opens_its_result_when_done(
    world, client_for
):
    from core.jobs import job_create
    from core.tasks import run_import_check

    client = client_for("operator")
    check = job_create(
        actor=world.users["operator"], kind="check:spaces.unit", title="t", payload=workbook(GOOD)
    )
    page = client.get(reverse("spaces:unit_import") + f"?job={check.pk}")
    assert page.context["checking"] == check and b'hx-trigger="every 1s"' in page.content
    run_import_check.enqueue(check.pk)  # the worker runs it
    poll = client.get(reverse("core:job_detail", args=[check.pk]), HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == reverse("spaces:unit_import") + f"?job={check.pk}"


def test_a_failed_dry_run_runs_again_as_a_dry_run_and_imports_nothing(world, client_for):
    from core.jobs import job_create

    client = client_for("operator")
    check = job_create(
        actor=world.users["operator"], kind="check:spaces.unit", title="t", payload=workbook(GOOD)
    )
    check.status = "failed"
    check.save()
    client.post(reverse("core:job_rerun", args=[check.pk]))
    again = BackgroundJob.objects.latest("id")
    assert again.kind == "check:spaces.unit" and again.status == "done"
    assert not Unit.objects.filter(code__in=["A-201", "A-202"]).exists()


def test_a_job_speaks_the_language_of_whoever_started_it(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    client = client_for("operator")
    client.cookies["django_language"] = "en"
    with translation.override(None):  # the request's English does not outlive the test
        client.post(
            reverse("spaces:unit_import"),
            {"file": SimpleUploadedFile("units.xlsx", workbook(GOOD))},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    check = BackgroundJob.objects.get(kind="check:spaces.unit")
    assert check.language == "en" and check.message.startswith("Checked: 2 new")
