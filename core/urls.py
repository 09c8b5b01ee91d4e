from django.contrib.auth import views as auth_views
from django.urls import path

from core.views import account, audit, operators, pick, users

app_name = "core"

urlpatterns = [
    path("", account.home, name="home"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("switch-park/", account.switch_park, name="switch_park"),
    path("account/tokens/", account.tokens_page, name="tokens"),
    path("account/password/", account.PasswordChange.as_view(), name="password_change"),
    path("account/profile/", account.profile_page, name="profile"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="token_revoke"),
    path("jobs/<int:pk>/", account.job_detail, name="job_detail"),
    path("jobs/<int:pk>/rerun/", account.job_rerun_view, name="job_rerun"),
    path("notifications/", account.notifications_page, name="notifications"),
    path("pick/", pick.pick, name="pick"),
    *users.urlpatterns,
    *audit.urlpatterns,
    *operators.urlpatterns,
]
