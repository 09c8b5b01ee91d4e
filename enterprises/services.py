"""Every write to the enterprise registry (UI, API, import and demo alike).

Enterprises, qualifications and contacts have no rules beyond their fields, constraints and
the actor's scope, so their services are the platform's generic write path.
"""

from __future__ import annotations

from core.services import create_record, delete_record, update_record

__all__ = [
    "contact_create",
    "contact_delete",
    "contact_update",
    "enterprise_create",
    "enterprise_delete",
    "enterprise_update",
    "qualification_create",
    "qualification_delete",
    "qualification_update",
]

enterprise_create = qualification_create = contact_create = create_record
enterprise_update = qualification_update = contact_update = update_record
enterprise_delete = qualification_delete = contact_delete = delete_record
