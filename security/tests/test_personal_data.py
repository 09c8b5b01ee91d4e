"""Personal information (PIPL): phone numbers encrypted at rest and found by a keyed hash;
kept masked in the change log; a data-subject request finds, exports and erases a person's
data, each step audited with its purpose, accounting records left intact."""

from __future__ import annotations

import io

from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from core.choices import AuditAction
from core.models import AuditEntry, User
from core.personal import digest
from enterprises.models import Contact


def _raw_phone(contact: Contact) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {Contact._meta.db_table} WHERE id = %s", [contact.pk])
        return cursor.fetchone()[0]


def test_the_number_is_encrypted_at_rest_and_read_back_plain(world):
    contact = world.sample(Contact)
    raw = _raw_phone(contact)
    assert "13812345678" not in raw and raw.startswith("gAAAA")  # a Fernet token
    contact.refresh_from_db()
    assert contact.phone == "13812345678"
    assert contact.phone_digest == digest("13812345678")
    # the same number twice is two different ciphertexts, one digest
    other = world.sample(Contact, "B")
    assert _raw_phone(other) != raw and other.phone_digest == contact.phone_digest


def test_the_change_log_holds_the_number_masked(world, client_for):
    contact = world.sample(Contact)
    response = client_for("operator").patch(
        f"/api/v1/enterprises/contacts/{contact.pk}",
        {"phone": "13900001111"},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(contact.pk)).first()
    assert entry is not None and entry.changes["phone"] == ["138****5678", "139****1111"]
    assert "13900001111" not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_find_export_and_erase_a_person(world, client_for):
    admin = client_for("admin")
    url = reverse("security:personal_data")
    subject = {"phone": "+86 138 1234 5678", "email": "", "purpose": "申请编号 DSR-7"}
    page = admin.post(url, {**subject, "do": "find"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "联系人A" in html and "联系人B" in html  # found through the hash, as stored

    export = admin.post(url, {**subject, "do": "export"})
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "13812345678" in values and "联系人A" in values

    erased = admin.post(url, {**subject, "do": "erase"})
    assert erased.status_code == 302
    assert not Contact.objects.filter(phone_digest=digest("13812345678")).exists()
    notes = AuditEntry.objects.filter(action=AuditAction.PERSONAL).order_by("id")
    assert [n.comment.split("：")[0] for n in notes] == ["查找", "导出", "删除"]
    assert all("DSR-7" in n.comment and "5678" in n.object_repr for n in notes)
    assert "13812345678" not in " ".join(n.object_repr for n in notes)  # masked there too


def test_erasing_an_account_keeps_a_pseudonym_for_what_names_it(world, client_for):
    from leasing.models import Lease

    user = world.users["tenant"]
    User.objects.filter(pk=user.pk).update(email="zhang@example.com")
    leases = Lease.objects.count()
    client_for("admin").post(
        reverse("security:personal_data"),
        {"phone": "", "email": "ZHANG@example.com", "purpose": "离职", "do": "erase"},
    )
    user.refresh_from_db()
    assert (user.username, user.email, user.is_active) == (f"erased-{user.pk}", "", False)
    assert not user.has_usable_password()
    assert Lease.objects.count() == leases  # the company's contracts are not the person's
    # the log still names the account: its creation, and the erasure itself
    about = AuditEntry.objects.filter(content_type__model="user", object_id=str(user.pk))
    assert about.filter(action=AuditAction.CREATE).exists()
    assert about.filter(comment__startswith="个人信息删除").exists()


def test_a_request_needs_a_purpose_and_a_phone_or_email_and_is_the_admins(world, client_for):
    admin = client_for("admin")
    url = reverse("security:personal_data")
    page = admin.post(url, {"phone": "", "email": "", "purpose": "", "do": "find"})
    errors = page.context["form"].errors
    assert "purpose" in errors and "__all__" in errors
    for role in ("operator", "gov", "fund", "tenant", "auditor"):
        assert client_for(role).get(url).status_code == 404


def test_rehash_after_a_key_rotation_finds_the_number_again(world, settings):
    from django.core.management import call_command

    from core.personal import find

    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert not find(phone="13812345678")  # the stored hashes were keyed with the old key
    call_command("personal_rehash")
    found = find(phone="13812345678")
    assert found and {c.name for c in found[0].rows} == {"联系人A", "联系人B"}
