"""Unmasked views of personal data are logged with their purpose (PIPL art. 51): staff see a
contact's number masked, and reveal one record at a time for a purpose the audit log keeps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEntry
from enterprises.models import Contact, Enterprise

pytestmark = pytest.mark.django_db


def _reveals():
    return AuditEntry.objects.filter(action=AuditAction.REVEAL)


def test_staff_see_the_number_masked_until_they_give_a_purpose(world, client_for):
    contact = world.sample(Contact)
    staff = client_for("operator")
    company = staff.get(
        reverse("enterprises:enterprise_detail", args=[world.sample(Enterprise).pk])
        + "?tab=contacts"
    ).content.decode()
    assert "13812345678" not in company and "138****5678" in company
    url = reverse("enterprises:contact_reveal", args=[contact.pk])
    assert url in company
    form = staff.get(url).content.decode()
    assert "13812345678" not in form and not _reveals().exists()

    refused = staff.post(url, {"purpose": "other", "note": ""}).content.decode()
    assert "13812345678" not in refused and not _reveals().exists()

    shown = staff.post(url, {"purpose": "collection", "note": "3 月租金"}, REMOTE_ADDR="10.9.8.7")
    assert "13812345678" in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"
    entry = _reveals().get()
    assert (entry.actor, entry.object_id, entry.ip) == (
        world.users["operator"],
        str(contact.pk),
        "10.9.8.7",
    )
    assert "phone" in entry.comment and "3 月租金" in entry.comment


def test_only_staff_may_reveal_and_only_in_scope(world, client_for):
    url_a = reverse("enterprises:contact_reveal", args=[world.sample(Contact).pk])
    url_b = reverse("enterprises:contact_reveal", args=[world.sample(Contact, "B").pk])
    assert client_for("operator").get(url_b).status_code == 404
    for role in ("fund", "gov", "tenant", "auditor"):  # fund sees it masked for good
        assert client_for(role).post(url_a, {"purpose": "service"}).status_code == 404, role
    assert not _reveals().exists()


def test_staff_edit_a_contact_without_reading_the_number(world, client_for):
    contact = world.sample(Contact)
    staff = client_for("operator")
    url = reverse("enterprises:contact_edit", args=[contact.pk])
    page = staff.get(url).content.decode()
    assert "13812345678" not in page and 'placeholder="138****5678"' in page
    data = {
        "enterprise": contact.enterprise_id,
        "name": "新名字",
        "title": contact.title,
        "phone": "",
        "email": contact.email,
    }
    assert staff.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("新名字", "13812345678")
    staff.post(url, {**data, "phone": "13900001111"})
    contact.refresh_from_db()
    assert contact.phone == "13900001111"


def test_staff_enter_a_new_contacts_number(world, client_for):
    page = client_for("operator").get(reverse("enterprises:contact_add")).content.decode()
    assert 'name="phone"' in page  # typing a new number reveals nothing
