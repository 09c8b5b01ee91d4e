"""The audit log is tamper-evident: a hash chain sealed after commit, verified by a command
that names the first entry altered, removed or inserted in the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.choices import AuditAction
from core.models import AuditEntry, Operator


def _write(n: int, actor) -> list[AuditEntry]:
    operator, _new = Operator.objects.get_or_create(code="CH", defaults={"name": "链"})
    return [
        audit.record(
            actor=actor,
            instance=operator,
            action=AuditAction.UPDATE,
            changes={"name": [f"旧{i}", f"新{i}"]},
        )
        for i in range(n)
    ]


def test_the_chain_holds_and_names_the_entry_altered_in_the_database(world):
    entries = _write(5, world.users["admin"])
    checked, broken = audit.verify()  # seals what the test's transaction left pending
    assert broken is None and checked == AuditEntry.objects.count()
    sealed = AuditEntry.objects.order_by("seq")
    assert all(e.hash for e in sealed)
    assert [e.prev_hash for e in sealed][1:] == [e.hash for e in sealed][:-1]

    target = entries[2]
    AuditEntry.objects.filter(pk=target.pk).update(changes={"name": ["旧2", "改过"]})
    checked, broken = audit.verify()
    assert broken is not None and broken.entry_id == target.pk
    assert "content" in broken.reason
    with pytest.raises(CommandError, match=f"第 {target.pk} 号"):
        call_command("audit_verify")


def test_a_deleted_entry_breaks_the_chain_at_the_next_one(world):
    entries = _write(4, world.users["admin"])
    audit.seal()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    _checked, broken = audit.verify()
    assert broken is not None and broken.entry_id == entries[2].pk
    assert "follow" in broken.reason


def test_an_actor_deactivated_or_renamed_later_leaves_the_chain_valid(world):
    user = world.users["operator"]
    _write(2, user)
    audit.seal()
    user.username = "renamed"
    user.save()
    assert audit.verify()[1] is None


def test_one_seal_per_transaction_and_none_for_a_rolled_back_change(world):
    from django.db import connection

    _write(30, world.users["admin"])
    queued = [func for _sids, func, _robust in connection.run_on_commit if func is audit.seal]
    assert queued == [audit.seal]

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(1, world.users["admin"])
        raise RuntimeError("the change fails")
    assert AuditEntry.objects.count() == before


def test_prune_keeps_at_least_180_days_and_the_rest_still_verifies(world):
    old = _write(3, world.users["admin"])
    AuditEntry.objects.filter(pk__in=[e.pk for e in old]).update(
        at=timezone.now() - datetime.timedelta(days=400)
    )
    AuditEntry.objects.filter(pk__lt=old[0].pk).update(
        at=timezone.now() - datetime.timedelta(days=400)
    )
    _write(2, world.users["admin"])
    with pytest.raises(CommandError, match="180"):
        call_command("audit_prune", "--days", "90")
    kept = AuditEntry.objects.filter(at__gte=timezone.now() - datetime.timedelta(days=365)).count()
    call_command("audit_prune", "--days", "365")
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    prune = AuditEntry.objects.get(action=AuditAction.PRUNE)
    assert prune.changes["count"][1] >= 3
    assert AuditEntry.objects.count() == kept + 1
    assert audit.verify()[1] is None


def test_the_auditor_reads_the_log_and_the_api_no_one_else_does(world, client_for):
    _write(1, world.users["admin"])
    auditor = client_for("auditor")
    page = auditor.get("/audit/")
    assert page.status_code == 200 and "链".encode() in page.content
    api = auditor.get("/api/v1/security/audit-entries?limit=500").json()["items"]
    assert {"hash", "prev_hash", "seq"} <= set(api[0])
    assert any(e["object_repr"] == "链" for e in api)
    for role in ("operator", "gov", "fund", "tenant"):
        client = client_for(role)
        assert client.get("/audit/").status_code == 404
        assert client.get(reverse("security:compliance")).status_code == 404
        assert client.get("/api/v1/security/audit-entries").status_code in (403, 404)


def test_no_page_or_api_writes_an_audit_entry(world, client_for):
    """The API reads only; there is no edit or delete page for an entry."""
    entry = _write(1, world.users["admin"])[0]
    admin = client_for("admin")
    path = f"/api/v1/security/audit-entries/{entry.pk}"
    assert admin.get(path).status_code == 200
    for method in ("patch", "put", "delete"):
        assert getattr(admin, method)(path, content_type="application/json").status_code == 405
    assert admin.post("/api/v1/security/audit-entries", {}).status_code == 405
