"""REST endpoints of analytics (``/api/v1/analytics/``): the KPI definitions and the KPIs of a
park (or every park whose figures the caller reads) on a day — the registry's own figures, as
the dashboard and ``manage.py kpis`` show them."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from analytics.kpis import KPIS, as_json, compute
from analytics.models import ParkFigures
from analytics.selectors import scope_for
from core.api.base import ERRORS, IsoDate, RowId, describe_fields, page_schema, scoped
from core.permissions import get_restricted_or_404

__all__ = ["router"]

router = Router(tags=["analytics"])


class KpiQuery(Schema):
    park_id: RowId | None = Field(None, description="Id of the park; empty: every park you see")
    park: str | None = Field(
        None, max_length=20, description="Park code: a readable alternative to `park_id`"
    )
    as_of: IsoDate | None = Field(None, description="The day of the figures; default today")


class KpisOut(Schema):
    park_id: int | None
    park: str | None
    as_of: datetime.date
    kpis: dict[str, float | int | None]


describe_fields(
    KpisOut,
    park_id="The park's id (null: every park you see)",
    park="The park's code (null: every park you see)",
    as_of="The day of the figures",
    kpis="Every KPI by key (GET /analytics/kpi-definitions says what each is); null where "
    "it cannot be computed, e.g. a rate over nothing",
)


class KpiDefinitionOut(Schema):
    key: str
    label: str
    measure: str
    group: str
    sentence: str


describe_fields(
    KpiDefinitionOut,
    key="The key in `kpis` and in `manage.py kpis`",
    label="Its name, in the caller's language",
    measure="How the value reads: rate (0–1), m2, count, yuan, yuan_m2 or multiple",
    group="The dashboard section it belongs to",
    sentence="How it is computed, in one sentence",
)


@router.get(
    "/kpis",
    response={200: KpisOut, **ERRORS},
    summary="Every KPI of a park (or of every park you see) on a day",
    operation_id="analytics_kpis",
    **scoped(ParkFigures, "view"),
)
def kpis(request: HttpRequest, query: Query[KpiQuery]) -> Any:
    code = query.park
    if query.park_id:
        code = get_restricted_or_404(ParkFigures, request.user, "view", pk=query.park_id).code
    day = query.as_of or timezone.localdate()
    scope = scope_for(request.user, code, day)
    one = scope.parks[0] if code else None
    return {
        "park_id": one.pk if one else None,
        "park": one.code if one else None,
        "as_of": day,
        "kpis": {key: as_json(value) for key, value in compute(scope).items()},
    }


@router.get(
    "/kpi-definitions",
    response={200: page_schema(KpiDefinitionOut), **ERRORS},
    summary="What each KPI is and how it is computed",
    operation_id="analytics_kpi_definitions",
    **scoped(ParkFigures, "view"),
)
def definitions(request: HttpRequest) -> Any:
    return {
        "items": [
            {
                "key": k.key,
                "label": str(k.label),
                "measure": k.measure,
                "group": k.group,
                "sentence": str(k.sentence),
            }
            for k in KPIS
        ],
        "next": None,
    }
