from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("dashboard/", views.Dashboard.as_view(), name="dashboard"),
    path("kpi/", views.KpiDrill.as_view(), name="drill"),
    path("company/", views.CompanyFigures.as_view(), name="company"),
    path("radar/", views.GrowthRadar.as_view(), name="radar"),
    path("report/", views.OperatingReportView.as_view(), name="report"),
    path("torch/", views.TorchReturnView.as_view(), name="torch"),
    path("warnings/", views.Warnings.as_view(), name="warnings"),
    path("periods/", views.PeriodList.as_view(), name="period_list"),
    path("periods/add/", views.PeriodAdd.as_view(), name="period_add"),
    path("periods/<int:pk>/", views.PeriodBoard.as_view(), name="period_board"),
]
