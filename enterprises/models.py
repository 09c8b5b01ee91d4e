"""The enterprise registry, shared by every operator: one record per credit code."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import TimeStampedModel
from core.permissions import READ, Policy, RestrictedQuerySet
from enterprises.validators import normalize_credit_code, validate_credit_code

__all__ = ["Enterprise"]


class Enterprise(TimeStampedModel):
    """A company, identified by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )

    objects = RestrictedQuerySet.as_manager()
    # Staff of every operator may read and add to the shared registry; a tenant user sees
    # only their own company. (Admission and leasing will narrow and widen this.)
    policy = Policy(
        grants={
            Role.OPERATOR: frozenset({"view", "add", "change"}),
            Role.GOV: READ,
            Role.FUND: READ,
            Role.TENANT: frozenset({"view", "change"}),
        },
        enterprise="",
        unscoped_roles=frozenset({Role.OPERATOR, Role.GOV, Role.FUND}),
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise before the length check, so a code typed with spaces or in full width
        # is judged on its 18 characters.
        self.credit_code = normalize_credit_code(self.credit_code)
        super().clean_fields(exclude=exclude)
