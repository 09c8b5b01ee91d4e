from __future__ import annotations

from typing import Any

from core.forms import ScopedModelForm
from spaces.models import Building, Floor, Park, Unit

__all__ = ["BuildingForm", "FloorForm", "ParkForm", "UnitForm"]


class ParkForm(ScopedModelForm):
    class Meta:
        model = Park
        fields = ["code", "name", "kind", "address", "operator", "jurisdiction", "staff"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not user.is_platform_admin:
            # Which operator runs a park, where it is and who works on it is the admin's call.
            for name in ("code", "operator", "jurisdiction", "staff"):
                self.fields.pop(name)


class BuildingForm(ScopedModelForm):
    class Meta:
        model = Building
        fields = [
            "park",
            "code",
            "name",
            "floors_above",
            "floors_below",
            "original_use",
            "year_built",
            "year_renovated",
        ]


class FloorForm(ScopedModelForm):
    class Meta:
        model = Floor
        fields = ["building", "number", "name"]


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = [
            "floor",
            "code",
            "use",
            "area_m2",
            "clear_height_m",
            "floor_load_kn_m2",
            "power_kva",
            "list_rent",
            "status",
            "available_from",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        floors = self.fields["floor"]
        floors.queryset = floors.queryset.select_related("building__park")  # type: ignore[attr-defined]
        floors.label_from_instance = lambda f: f"{f.building} · {f.label}"  # type: ignore[attr-defined]
