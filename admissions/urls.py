from django.urls import path

from admissions import views
from core.views import object_urls

app_name = "admissions"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("rules/", views.RulesView.as_view(), name="rules"),
    *object_urls(
        "applications",
        "application",
        list_view=views.ApplicationList,
        detail=views.ApplicationDetail,
        edit=views.ApplicationEdit,
        delete=views.ApplicationDelete,
    ),
    path(
        "applications/<int:pk>/transition/",
        views.TransitionView.as_view(),
        name="application_transition",
    ),
    path("applications/<int:pk>/risk/", views.RiskView.as_view(), name="application_risk"),
    path("applications/<int:pk>/review/", views.ReviewView.as_view(), name="application_review"),
    path("applications/<int:pk>/answer/", views.AnswerView.as_view(), name="application_answer"),
    path(
        "applications/<int:pk>/withdraw-request/",
        views.WithdrawView.as_view(),
        name="application_withdraw_request",
    ),
    path("applications/<int:pk>/convert/", views.ConvertView.as_view(), name="application_convert"),
    *object_urls(
        "thresholds",
        "thresholdrule",
        list_view=views.ThresholdList,
        detail=views.ThresholdDetail,
        edit=views.ThresholdEdit,
        delete=views.ThresholdDelete,
    ),
    path("settings/", views.SettingsList.as_view(), name="admissionsettings_list"),
    path("settings/<int:pk>/", views.SettingsDetail.as_view(), name="admissionsettings_detail"),
    path("settings/<int:pk>/edit/", views.SettingsEdit.as_view(), name="admissionsettings_edit"),
]
