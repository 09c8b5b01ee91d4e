from django.urls import path

from security import support_views, views

app_name = "security"

urlpatterns = [
    path("compliance/", views.Compliance.as_view(), name="compliance"),
    path("verify/", views.VerifyChain.as_view(), name="verify_chain"),
    path("settings/", views.SettingsSave.as_view(), name="settings_save"),
    path("personal-data/", views.PersonalData.as_view(), name="personal_data"),
    path("account/", views.account_security, name="account"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("support/", support_views.GrantList.as_view(), name="supportgrant_list"),
    path("support/add/", support_views.GrantAdd.as_view(), name="supportgrant_add"),
    path("support/<int:pk>/", support_views.GrantDetail.as_view(), name="supportgrant_detail"),
    path(
        "support/<int:pk>/revoke/",
        support_views.GrantRevoke.as_view(),
        name="supportgrant_revoke",
    ),
    path(
        "users/<int:pk>/2fa-reset/",
        views.UserTwoFactorReset.as_view(),
        name="user_two_factor_reset",
    ),
]
