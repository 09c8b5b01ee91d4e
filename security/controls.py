"""The 安全合规 page's content: each control GB/T 22239-2019 (等保 2.0, level 3) and the
Personal Information Protection Law ask of the application, how ParkOps meets it, and its
setting on this installation, read from the settings at the time the page is shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.choices import Role

__all__ = ["Control", "controls"]

MET, PARTIAL = "met", "partial"


@dataclass(frozen=True)
class Control:
    area: Any
    clause: Any
    title: Any
    how: Any
    setting: Any
    status: str


def _per_role(table: dict[str, int], unit: Any) -> str:
    labels = {**dict(Role.choices), "*": _("other roles")}
    parts = [
        f"{labels.get(role, role)} {value}{unit}" if value else f"{labels.get(role, role)} —"
        for role, value in table.items()
    ]
    return "；".join(parts)


def _validators() -> str:
    validators: list[Any] = settings.AUTH_PASSWORD_VALIDATORS
    names = [str(v["NAME"]).rsplit(".", 1)[-1] for v in validators]
    return ", ".join(names)


def _encrypted_fields() -> str:
    from core.fields import EncryptedCharField

    return ", ".join(
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    )


def _revealed_fields() -> str:
    labels = dict(Role.choices)
    return "；".join(
        f"{model._meta.label_lower}.{name} ({labels.get(role, role)})"
        for model in apps.get_models()
        for role, names in getattr(getattr(model, "policy", None), "revealed", {}).items()
        for name in sorted(names)
    )


def _support_setting() -> str:
    from security.models import SupportGrant

    live = SupportGrant.objects.in_force().count()
    return str(_("role=auditor; support grants in force: %(count)d") % {"count": live})


def _personal_models() -> str:
    from core.personal import personal_models

    return ", ".join(str(model._meta.verbose_name) for model in personal_models())


def controls() -> list[Control]:
    from security.models import SecuritySettings

    required = SecuritySettings.current().two_factor_roles
    labels = dict(Role.choices)
    two_factor_roles = "、".join(str(labels.get(r, r)) for r in required)
    identity, audit, access, privacy = (
        _("Identity and sessions"),
        _("Security audit"),
        _("Access control"),
        _("Personal information"),
    )
    return [
        Control(
            identity,
            "8.1.4.1 a",
            _("Unique accounts and password complexity"),
            _(
                "Every user has one account and one role. A password has at least 8 characters "
                "and three of four character classes, is not a common password, not like the "
                "username, and not one of the user's last five."
            ),
            _validators(),
            MET,
        ),
        Control(
            identity,
            "8.1.4.1 a",
            _("Password change at first sign-in and expiry"),
            _(
                "A password an admin sets must be changed at the next sign-in; a password "
                "older than its role's limit must be changed before any other page opens."
            ),
            _per_role(settings.PARKOPS_PASSWORD_MAX_AGE, _(" days")),
            MET,
        ),
        Control(
            identity,
            "8.1.4.1 b",
            _("Failed sign-in handling"),
            _(
                "After %(n)s failed tries a username and address pair is locked for 15 minutes "
                "(django-axes); each failure and lockout is a security event in the audit log."
            )
            % {"n": settings.AXES_FAILURE_LIMIT},
            f"AXES_FAILURE_LIMIT={settings.AXES_FAILURE_LIMIT}, AXES_COOLOFF_TIME="
            f"{settings.AXES_COOLOFF_TIME}h",
            MET,
        ),
        Control(
            identity,
            "8.1.4.1 b",
            _("Idle timeout and session lifetime"),
            _(
                "A session with no request for its role's idle limit is signed out, and every "
                "session ends a fixed number of hours after sign-in. Users see their sessions "
                "and can sign out everywhere."
            ),
            _("idle (minutes): %(idle)s; lifetime: %(hours)s h")
            % {
                "idle": _per_role(settings.PARKOPS_IDLE_MINUTES, ""),
                "hours": settings.PARKOPS_SESSION_HOURS,
            },
            MET,
        ),
        Control(
            identity,
            "8.1.4.1 c",
            _("Credentials protected in transit"),
            _(
                "Production settings redirect to HTTPS, send HSTS, and mark the session and "
                "CSRF cookies secure (`manage.py check --deploy` is clean)."
            ),
            f"SESSION_COOKIE_SECURE={getattr(settings, 'SESSION_COOKIE_SECURE', False)}",
            MET,
        ),
        Control(
            identity,
            "8.1.4.1 d",
            _("Two-factor sign-in"),
            _(
                "Password plus a time-based code from an authenticator app (TOTP, django-otp), "
                "with ten one-time recovery codes; required for the roles the platform admin "
                "names (admin and government reviewers by default), optional for others. A "
                "lost phone is reset by the admin, audited."
            ),
            _("required for: %(roles)s") % {"roles": two_factor_roles or "—"},
            MET if {"admin", "gov"} <= set(required) else PARTIAL,
        ),
        Control(
            access,
            "8.1.4.2 a–d",
            _("Least privilege by role and scope"),
            _(
                "One permission layer: each record type states what each role may do and in "
                "which parks, operator or company; everything else is a 404. An authorization "
                "matrix test checks every page and API operation for every role."
            ),
            _("roles: admin, operator, gov, fund, tenant, auditor"),
            MET,
        ),
        Control(
            access,
            "8.1.4.2 e",
            _("Security auditor apart from the system administrator"),
            _(
                "The security auditor role reads the audit log, security events and support "
                "grants, and no business data. The platform admin manages users, operators "
                "and platform rules; business records they reach only through a support "
                "grant that an operator's staff give for up to 90 days with a reason and may "
                "revoke at any time. The admin cannot grant themselves; every grant and "
                "revocation is audited."
            ),
            _support_setting(),
            MET,
        ),
        Control(
            audit,
            "8.1.4.3 a–b",
            _("Business changes and security events audited"),
            _(
                "Every write records who changed which field from what to what; sign-in, "
                "sign-out, failures, lockouts, role and scope changes, API tokens and exports "
                "are recorded with time, address and device."
            ),
            _("audit log"),
            MET,
        ),
        Control(
            audit,
            "8.1.4.3 c",
            _("Audit records protected from change"),
            _(
                "Each entry carries a SHA-256 hash chained to the one before; "
                "`manage.py audit_verify` recomputes the chain and names the first entry that "
                "was altered, removed or inserted. No page or API changes or deletes an entry."
            ),
            _("retention: %(days)s days (at least 180)")
            % {"days": settings.PARKOPS_AUDIT_RETENTION_DAYS},
            MET,
        ),
        Control(
            privacy,
            _("PIPL art. 51"),
            _("Personal fields masked for roles that need not call"),
            _(
                "Record types declare their personal fields once, and per role the fields "
                "hidden or masked; masking applies to pages, API, exports, change logs and "
                "notifications. Staff who need to call see a number masked too and reveal one "
                "record at a time with a purpose; each reveal, export and personal-data "
                "request is a security event with its purpose."
            ),
            _("revealed with a purpose: %(fields)s") % {"fields": _revealed_fields()},
            MET,
        ),
        Control(
            privacy,
            _("PIPL art. 51"),
            _("Sensitive fields encrypted at rest"),
            _(
                "Contacts' phone numbers are stored encrypted (Fernet, "
                "django-fernet-encrypted-fields, key from SECRET_KEY); an exact number is found "
                "through a keyed hash stored beside it, and the change log keeps it masked."
            ),
            _("encrypted: %(fields)s") % {"fields": _encrypted_fields()},
            MET,
        ),
        Control(
            privacy,
            _("PIPL art. 44–47"),
            _("Data-subject requests: find, export, correct, erase"),
            _(
                "The platform admin finds every record about a phone number or e-mail across "
                "the record types that declare personal fields, exports them as .xlsx, opens "
                "each record's edit page to correct it, or erases them (a contact is deleted, an "
                "account keeps a pseudonym); each step is audited with its purpose."
            ),
            _("record types: %(models)s") % {"models": _personal_models()},
            MET,
        ),
    ]
