"""What analytics reads, as the permission layer sees it: parks as their KPIs' scope.

Analytics keeps no records of its own (every figure is computed from the other apps'). A park
seen through :class:`ParkFigures` is a park whose aggregate figures a role may read: staff
their parks, government reviewers their jurisdiction's, fund managers their operator's.
Tenants read no park's figures here (a park's public facts are the spaces app's).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.permissions import READ, Policy
from spaces.models import Park

__all__ = ["ParkFigures"]


class ParkFigures(Park):
    """A park as the scope of KPIs, dashboards and reports (no table of its own)."""

    policy = Policy(grants={Role.OPERATOR: READ, Role.GOV: READ, Role.FUND: READ}, park="")

    class Meta:
        proxy = True
        verbose_name = _("park figures")
        verbose_name_plural = _("park figures")
