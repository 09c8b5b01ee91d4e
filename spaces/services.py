"""Every write to parks, buildings, floors and units (UI, API, import and demo alike).

These records have no rules beyond their fields, constraints and the actor's scope, so their
services are the platform's generic write path (permission, ``full_clean``, save, audit, one
transaction). An entity that gains rules of its own gets its own function here.
"""

from __future__ import annotations

from core.services import create_record, delete_record, update_record

__all__ = [
    "building_create",
    "building_delete",
    "building_update",
    "floor_create",
    "floor_delete",
    "floor_update",
    "park_create",
    "park_delete",
    "park_update",
    "unit_create",
    "unit_delete",
    "unit_update",
]

park_create = building_create = floor_create = unit_create = create_record
park_update = building_update = floor_update = unit_update = update_record
park_delete = building_delete = floor_delete = unit_delete = delete_record
