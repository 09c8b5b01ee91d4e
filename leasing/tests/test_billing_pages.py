"""Bill and payment pages, documents (PDF, xlsx), lease actions in the UI, the leasing
reports and their API twins."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.tokens import token_create
from leasing import services
from leasing.models import Invoice, Lease, Payment
from spaces.models import Floor, Park, Unit
from spaces.testing import make_unit

D = Decimal
day = datetime.date


def api(client_for, world, role="operator"):
    token = token_create(actor=world.users[role], user=world.users[role], name="t")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in workbook.active.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_invoice_pages_and_documents(world, client_for):
    client = client_for("operator")
    invoice = world.sample(Invoice)  # T-A-P01: Q1 2026 of 1,000 m² at 3.50, 1,000 paid
    listing = client.get(reverse("leasing:invoice_list") + "?status=open")
    assert invoice.number in listing.content.decode()
    page = client.get(reverse("leasing:invoice_detail", args=[invoice.pk]))
    assert page.status_code == 200 and "315,000.00" in page.content.decode()
    pdf = client.get(reverse("leasing:invoice_document", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"STSong-Light" in pdf.content
    xlsx = client.get(reverse("leasing:invoice_document", args=[invoice.pk]) + "?format=xlsx")
    rows = sheet_rows(xlsx)
    assert rows[-1][0] == "合计" or rows[-1][0] == "Total"
    assert rows[-1][2] == 315000.0
    assert (
        client.get(
            reverse("leasing:invoice_document", args=[invoice.pk]) + "?format=doc"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_invoice_list_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    client = client_for("operator")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("leasing:invoice_list")).status_code == 200


@pytest.mark.django_db
def test_tenant_sees_and_downloads_only_its_own(world, client_for):
    client = client_for("tenant")
    mine, theirs = world.sample(Invoice, "A"), world.sample(Invoice, "B")
    listing = client.get(reverse("leasing:invoice_list")).content.decode()
    assert mine.number in listing and theirs.number not in listing
    lease = world.sample(Lease)
    statement = client.get(reverse("leasing:lease_statement", args=[lease.pk]) + "?format=xlsx")
    rows = sheet_rows(statement)
    numbers = [r[1] for r in rows if r and r[1]]
    schedule = load_workbook(io.BytesIO(statement.content)).worksheets[1]
    totals = list(schedule.iter_rows(values_only=True))[-1]
    assert totals[5] == float(services.lease_schedule(lease).total_rent)  # the whole term
    assert mine.number in numbers and theirs.number not in numbers
    assert client.get(reverse("leasing:invoice_document", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("leasing:payment_add")).status_code == 404


@pytest.mark.django_db
def test_recording_a_payment_in_the_ui(world, client_for):
    client = client_for("operator")
    lease = world.sample(Lease)
    response = client.post(
        reverse("leasing:payment_add"),
        {"lease": lease.pk, "received_on": "2026-02-01", "amount": "5000", "method": "transfer"},
    )
    payment = Payment.objects.filter(lease=lease).latest("id")
    assert response.status_code == 302 and payment.amount == D("5000.00")
    assert Invoice.objects.get(number="T-A-D").settled == D("6000.00")  # the oldest bill first
    refused = client.post(
        reverse("leasing:payment_add"),
        {"lease": lease.pk, "received_on": "2099-01-01", "amount": "5", "method": "transfer"},
    )
    assert refused.status_code == 200
    assert Payment.objects.filter(lease=lease).count() == 2  # the world's and this one


@pytest.mark.django_db
def test_lease_actions_in_the_ui(world, client_for):
    client = client_for("operator")
    lease = world.sample(Lease)
    extra = make_unit(world.sample(Floor), "A-EXP", area_m2=D(200))
    url = reverse("leasing:lease_detail", args=[lease.pk])
    page = client.get(url).content.decode()
    assert "Terminate early" in page or "提前终止" in page
    client.post(
        reverse("leasing:lease_units", args=[lease.pk]), {"on": "2026-02-01", "add": [extra.pk]}
    )
    assert lease.lease_units.filter(unit=extra, start_on=day(2026, 2, 1)).exists()
    assert Invoice.objects.filter(lease=lease, kind="adjustment").count() == 1
    client.post(
        reverse("leasing:lease_renew", args=[lease.pk]),
        {"contract_no": "T-A-2", "end_on": "2030-12-31", "rent_per_m2_day": "3.80"},
    )
    successor = Lease.objects.get(contract_no="T-A-2")
    assert successor.predecessor == lease and successor.start_on == day(2029, 1, 1)
    assert {s.unit_id for s in successor.lease_units.all()} == {
        s.unit_id for s in lease.lease_units.all()
    }
    client.post(
        reverse("leasing:lease_renew", args=[lease.pk]),
        {"contract_no": "T-A-3", "end_on": "2030-12-31", "rent_per_m2_day": "3.80"},
    )
    assert not Lease.objects.filter(contract_no="T-A-3").exists()  # one renewal only


@pytest.mark.django_db
def test_reports_show_figures_and_download(world, client_for):
    client = client_for("operator")
    park = world.sample(Park)
    aging = client.get(reverse("leasing:report_aging") + f"?park={park.code}&on=2026-03-01")
    # T-A: deposit 106,458.33 (3.5 × 1,000 × 365 ÷ 12) and Q1 315,000, 1,000 paid
    assert "420,458.33" in aging.content.decode()
    roll = client.get(
        reverse("leasing:report_rent_roll") + f"?park={park.code}&on=2026-03-01&format=xlsx"
    )
    rows = sheet_rows(roll)
    header = rows.index(next(r for r in rows if r[0] in ("序号", "No.")))
    body = rows[header + 1 : -1]
    assert [r[1] for r in body] == ["T-A"]
    assert rows[-1][11] == 315000.0  # billed to date, the totals row
    for name in ("report_expiries", "report_vacancy", "report_occupancy"):
        assert client.get(reverse(f"leasing:{name}")).status_code == 200
    gov = client_for("gov")
    assert gov.get(reverse("leasing:report_occupancy")).status_code == 200
    assert gov.get(reverse("leasing:report_aging")).status_code == 404  # no tenant's arrears


@pytest.mark.django_db
def test_payment_and_reports_api(world, client_for):
    client = client_for("anonymous")
    headers = api(client_for, world)
    lease = world.sample(Lease)
    created = client.post(
        "/api/v1/leasing/payments",
        {"lease_id": lease.pk, "received_on": "2026-01-20", "amount": "500000"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    assert created.json()["unapplied"] == "79541.67"  # 500,000 − 420,458.33 still open
    other = world.sample(Lease, "B")
    refused = client.post(
        "/api/v1/leasing/payments",
        {"lease_id": other.pk, "received_on": "2026-01-20", "amount": "1"},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422 and "lease_id" in refused.content.decode()
    aging = client.get("/api/v1/leasing/aging?date=2026-01-19", **headers).json()
    assert aging["items"][0]["d1_30"] == "420458.33"  # overdue the day before the payment…
    assert aging["items"][0]["id"] == lease.enterprise_id and aging["next"] is None
    assert aging["totals"]["total"] == "420458.33"
    aging = client.get("/api/v1/leasing/aging?date=2026-01-20", **headers).json()
    assert aging["items"] == []  # …and settled from the day it was received
    roll = client.get("/api/v1/leasing/rent-roll?park=PA&date=2026-03-01", **headers).json()
    assert [(r["contract_no"], r["lease_id"]) for r in roll["items"]] == [("T-A", lease.pk)]
    assert roll["totals"]["billed"] == "315000.00"
    series = client.get("/api/v1/leasing/occupancy/series?park=PA&months=3", **headers).json()
    assert len(series["items"]) == 3 and series["items"][-1]["occupancy_rate"] == "1.0000"
    unknown = client.get("/api/v1/leasing/rent-roll?park=NOPE", **headers)
    assert unknown.status_code == 422 and "park" in unknown.json()["errors"]


@pytest.mark.django_db
def test_lease_attachments_upload_and_download(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leasing.models import LeaseAttachment

    lease = world.sample(Lease)
    operator = client_for("operator")
    url = reverse("leasing:lease_attach", args=[lease.pk])
    operator.post(
        url, {"title": "补充协议", "file": SimpleUploadedFile("amend.pdf", b"%PDF-1.4 x")}
    )
    assert lease.attachments.filter(title="补充协议", size=10).exists()
    operator.post(url, {"title": "病毒", "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert not lease.attachments.filter(title="病毒").exists()  # refused with a message
    tenant = client_for("tenant")
    mine = world.sample(LeaseAttachment)
    response = tenant.get(reverse("leasing:attachment_download", args=[mine.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed contract"
    theirs = world.sample(LeaseAttachment, "B")
    assert tenant.get(reverse("leasing:attachment_download", args=[theirs.pk])).status_code == 404
    assert (
        tenant.post(url, {"title": "t", "file": SimpleUploadedFile("a.pdf", b"x")}).status_code
        == 404
    )


@pytest.mark.django_db
def test_overdue_shows_in_the_list_and_on_the_dashboard(world, client_for):
    operator = client_for("operator")
    listing = operator.get(reverse("leasing:invoice_list") + "?status=overdue").content.decode()
    assert "T-A-P01" in listing and ("已逾期" in listing or "Overdue" in listing)
    home = operator.get("/").content.decode()
    # T-A: 106,458.33 deposit + 315,000 Q1 − 1,000 paid, overdue since 2026-01-01
    assert "42.0万" in home or "0.42 M" in home
    assert "42.0万" not in client_for("gov").get("/").content.decode()  # no tenant's arrears


@pytest.mark.django_db
def test_a_report_gives_the_same_figures_on_page_api_xlsx_and_pdf(world, client_for):
    client = client_for("operator")
    page_url = reverse("leasing:report_rent_roll") + "?park=PA&on=2026-03-01"
    api = client.get("/api/v1/leasing/rent-roll?park=PA&date=2026-03-01").json()
    rows = sheet_rows(client.get(page_url + "&format=xlsx"))
    assert rows[-1][11] == float(api["totals"]["billed"]) == 315000.0
    assert "315,000.00" in client.get(page_url).content.decode()
    pdf = client.get(page_url + "&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_for("gov").get(page_url + "&format=pdf").status_code == 404


@pytest.mark.django_db
def test_reports_refuse_dates_at_the_ends_of_the_calendar(world, client_for):
    client = client_for("operator")
    for day in ("0001-01-01", "9999-12-31"):
        for path in ("occupancy/series", "aging", "rent-roll"):
            response = client.get(f"/api/v1/leasing/{path}?date={day}")
            assert response.status_code == 422 and "date" in response.json()["errors"], path
        page = client.get(reverse("leasing:report_occupancy") + f"?on={day}")
        assert page.status_code == 200  # the form shows the error, the figures are today's


@pytest.mark.django_db
def test_markup_in_a_name_stays_text_in_a_pdf(world, client_for):
    """A park named like reportlab markup prints as those characters, reads no file."""
    park = world.sample(Park)
    Park.objects.filter(pk=park.pk).update(name='<img src="var/x.png"/>园区 & <b>')
    client = client_for("operator")
    pdf = client.get(reverse("leasing:report_rent_roll") + f"?park={park.code}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    lease = world.sample(Lease)
    statement = client.get(reverse("leasing:lease_statement", args=[lease.pk]) + "?format=pdf")
    assert statement.status_code == 200


@pytest.mark.django_db
def test_a_bill_reads_as_a_chinese_document(world):
    from django.utils import translation

    from leasing.documents import invoice_facts

    operator = world.sample(Invoice).park.operator
    operator.account_name, operator.bank_name = "运营方A", "招商银行北京分行"
    operator.bank_account = "1109 0812 3410 888"
    operator.save()
    invoice = Invoice.objects.get(pk=world.sample(Invoice).pk)  # 315,000.00, 1,000 paid
    with translation.override("zh-hans"):
        facts = dict(invoice_facts(invoice))
    assert facts["开具日期"] == invoice.issued_on.isoformat()
    assert facts["大写金额"] == "叁拾壹万伍仟元整"
    assert facts["收款账号"] == "1109 0812 3410 888" and facts["开户银行"] == "招商银行北京分行"
    assert facts["状态"] in {"已逾期", "部分收款"}
    texts = [line.description for line in invoice.lines.all()]
    assert texts and all(t.startswith(("租金", "物业管理费")) for t in texts), texts


@pytest.mark.django_db
def test_bill_status_unsettled_partly_paid_overdue_settled(world):
    from unittest import mock

    invoice = world.sample(Invoice)
    due = invoice.due_on
    with mock.patch("django.utils.timezone.localdate", return_value=due):
        invoice.settled = D(0)
        assert invoice.status == "open" and invoice.status.label in ("未结清", "Unsettled")
        invoice.settled = D(1)
        assert invoice.status == "partial"
        invoice.settled = invoice.amount
        assert invoice.status == "settled"
    with mock.patch("django.utils.timezone.localdate", return_value=due + datetime.timedelta(1)):
        invoice.settled = D(1)
        assert invoice.status == "overdue"


@pytest.mark.django_db
def test_unit_picker_shows_free_units_and_conflicts_for_the_dates(world, client_for):
    client = client_for("operator")
    park = world.sample(Park)
    free = make_unit(world.sample(Floor), "PICK-1", area_m2=D(420))
    taken = world.sample(Lease).lease_units.first().unit  # leased 2026-01-01 ~ 2028-12-31
    url = reverse("leasing:unit_picker")
    page = client.get(url, {"park": park.pk, "start_on": "2027-01-01", "end_on": "2027-12-31"})
    html = page.content.decode()
    assert page.status_code == 200 and free.code in html and taken.code in html
    assert "T-A" in html  # the lease holding the taken unit is named before saving
    after = client.get(url, {"park": park.pk, "start_on": "2029-01-01", "end_on": "2029-12-31"})
    assert "T-A" not in after.content.decode()  # free again after that lease ends
    big = client.get(
        url, {"park": park.pk, "area_min": "500", "height_min": "nan"}
    ).content.decode()
    assert free.code not in big  # 420 m² is filtered out; a bad height is ignored
    other_park = client.get(url, {"park": world.sample(Park, "B").pk}).content.decode()
    assert "PICK-1" not in other_park and world.sample(Unit, "B").code not in other_park
    form = client.get(reverse("leasing:lease_add")).content.decode()
    assert 'id="unit-picker"' in form
    assert client_for("tenant").get(url, {"park": park.pk}).status_code == 404
