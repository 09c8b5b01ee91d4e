from django.urls import path

from core.views import object_urls
from core.views.imports import import_urls
from core.views.reveal import reveal_url
from enterprises import filing_imports, imports, views
from enterprises.models import Contact, Enterprise, StatFiling

app_name = "enterprises"

urlpatterns = [
    *object_urls(
        "companies",
        "enterprise",
        list_view=views.EnterpriseList,
        detail=views.EnterpriseDetail,
        edit=views.EnterpriseEdit,
        delete=views.EnterpriseDelete,
    ),
    *object_urls(
        "qualifications",
        "qualification",
        list_view=views.QualificationList,
        detail=views.QualificationDetail,
        edit=views.QualificationEdit,
        delete=views.QualificationDelete,
    ),
    *object_urls(
        "financing",
        "financinground",
        list_view=views.FinancingList,
        detail=views.FinancingDetail,
        edit=views.FinancingEdit,
        delete=views.FinancingDelete,
    ),
    *object_urls(
        "contacts",
        "contact",
        list_view=views.ContactList,
        detail=views.ContactDetail,
        edit=views.ContactEdit,
        delete=views.ContactDelete,
    ),
    reveal_url("contacts", Contact),
    path("filings/", views.FilingList.as_view(), name="statfiling_list"),
    path("filings/<int:pk>/", views.FilingDetail.as_view(), name="statfiling_detail"),
    path("filings/<int:pk>/file/", views.FilingFile.as_view(), name="filing_file"),
    *import_urls("companies", Enterprise, imports.TEMPLATE_KIND),
    *import_urls("filings", StatFiling, filing_imports.TEMPLATE_KIND),
    path(
        "qualifications/<int:pk>/verify/",
        views.QualificationVerify.as_view(),
        name="qualification_verify",
    ),
]
