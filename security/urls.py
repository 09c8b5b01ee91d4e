from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("verify/", views.verify_chain, name="verify_chain"),
    path("audit/", views.AuditLog.as_view(), name="audit_list"),
    path("account/", views.account_security, name="account"),
    path("account/sign-out-others/", views.end_other_sessions, name="end_other_sessions"),
    path("settings/", views.settings_save, name="settings_save"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("2fa/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("users/<int:pk>/2fa-reset/", views.user_two_factor_reset, name="user_two_factor_reset"),
]
