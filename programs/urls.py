from django.urls import path

from core.views import object_urls
from programs import views

app_name = "programs"

urlpatterns = [
    *object_urls(
        "services",
        "servicekind",
        list_view=views.KindList,
        detail=views.KindDetail,
        edit=views.KindEdit,
        delete=views.KindDelete,
    ),
    path("requests/", views.RequestList.as_view(), name="servicerequest_list"),
    path("requests/add/", views.RequestEdit.as_view(), name="servicerequest_add"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="servicerequest_detail"),
    path("requests/<int:pk>/edit/", views.RequestEdit.as_view(), name="servicerequest_edit"),
    path(
        "requests/<int:pk>/transition/",
        views.TransitionView.as_view(),
        name="servicerequest_transition",
    ),
    path("requests/<int:pk>/message/", views.MessageView.as_view(), name="servicerequest_message"),
    path("requests/<int:pk>/assign/", views.AssignView.as_view(), name="servicerequest_assign"),
    path("requests/<int:pk>/rate/", views.RateView.as_view(), name="servicerequest_rate"),
    *object_urls(
        "equipment",
        "equipment",
        list_view=views.EquipmentList,
        detail=views.EquipmentDetail,
        edit=views.EquipmentEdit,
        delete=views.EquipmentDelete,
    ),
    path("bookings/", views.BookingList.as_view(), name="booking_list"),
    path("bookings/add/", views.BookingAdd.as_view(), name="booking_add"),
    path("bookings/<int:pk>/", views.BookingDetail.as_view(), name="booking_detail"),
    path("bookings/<int:pk>/action/", views.BookingAction.as_view(), name="booking_action"),
    *object_urls(
        "policies",
        "supportpolicy",
        list_view=views.PolicyList,
        detail=views.PolicyDetail,
        edit=views.PolicyEdit,
        delete=views.PolicyDelete,
    ),
    path("grants/", views.GrantList.as_view(), name="policyapplication_list"),
    path("grants/add/", views.GrantEdit.as_view(), name="policyapplication_add"),
    path("grants/<int:pk>/", views.GrantDetail.as_view(), name="policyapplication_detail"),
    path("grants/<int:pk>/edit/", views.GrantEdit.as_view(), name="policyapplication_edit"),
    path("grants/<int:pk>/action/", views.GrantAction.as_view(), name="policyapplication_action"),
    *object_urls(
        "scenarios",
        "scenario",
        list_view=views.ScenarioList,
        detail=views.ScenarioDetail,
        edit=views.ScenarioEdit,
        delete=views.ScenarioDelete,
    ),
    path("proposals/", views.ProposalList.as_view(), name="proposal_list"),
    path("proposals/add/", views.ProposalAdd.as_view(), name="proposal_add"),
    path("proposals/<int:pk>/", views.ProposalDetail.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/action/", views.ProposalAction.as_view(), name="proposal_action"),
]
