from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import ParkOpsApp


class SecurityConfig(ParkOpsApp):
    """等保 2.0 level-3 controls an application owes: sign-in history and sessions, password
    policy, idle timeout, the chained audit log, and the 安全合规 page that shows them."""

    name = "security"
    verbose_name = _("Security")
    nav = [
        {
            "label": _("Security & compliance"),
            "url": "security:compliance",
            "model": "core.AuditEntry",
        },
        {"label": _("Audit log"), "url": "core:auditentry_list", "model": "core.AuditEntry"},
        {
            "label": _("Support grants"),
            "url": "security:supportgrant_list",
            "model": "security.SupportGrant",
        },
        {
            "label": _("Personal data requests"),
            "url": "security:personal_data",
            "model": "security.SecuritySettings",
            "action": "change",
        },
    ]

    account_nav = [{"label": _("Sign-ins and sessions"), "url": "security:account"}]

    def ready(self) -> None:
        super().ready()
        from core.scopes import register_support_scope
        from core.views import Tab, register_tab
        from security import signals  # noqa: F401  (connects the sign-in receivers)
        from security.support import operators_supported

        # a platform admin reaches business data only through a live support grant
        register_support_scope(operators_supported)

        # the admin's view of one user: two-factor status (and its reset), sign-in history
        register_tab(
            "core.user",
            Tab(
                "security",
                _("Security"),
                "security/user_security_tab.html",
                context=_user_security,
                visible=lambda user: user.is_platform_admin,
            ),
        )


def _user_security(request: Any, obj: Any) -> dict[str, Any]:
    from core.models import User
    from security import services
    from security.views import sign_ins_of

    return {
        "two_factor_on": services.has_two_factor(obj),
        "two_factor_required": services.two_factor_required(obj),
        "can_reset": User.policy.allows_role(request.user, "change"),  # type: ignore[attr-defined]
        "sign_ins": sign_ins_of(obj),
    }
