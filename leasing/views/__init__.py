"""Leasing pages: leases, bills and payments, and the leasing reports."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import TemplateView

from core.views.imports import import_urls
from core.views.reports import report_urls
from leasing import imports
from leasing.models import Invoice
from leasing.reports import REPORTS
from leasing.views import billing, leases


class RulesView(LoginRequiredMixin, TemplateView):
    """计租规则: the money conventions in words, for everyone who reads a lease or a bill."""

    template_name = "leasing/rules.html"


app_name = "leasing"
urlpatterns = [
    path("rules/", RulesView.as_view(), name="rules"),
    path("leases/", leases.LeaseList.as_view(), name="lease_list"),
    path("leases/add/", leases.LeaseEdit.as_view(), name="lease_add"),
    path("leases/unit-picker/", leases.UnitPicker.as_view(), name="unit_picker"),
    path("leases/<int:pk>/", leases.LeaseDetail.as_view(), name="lease_detail"),
    path("leases/<int:pk>/edit/", leases.LeaseEdit.as_view(), name="lease_edit"),
    path("leases/<int:pk>/action/", leases.LeaseAction.as_view(), name="lease_action"),
    path("leases/<int:pk>/units/", leases.LeaseChangeUnits.as_view(), name="lease_units"),
    path("leases/<int:pk>/rent-free/", leases.LeaseRentFree.as_view(), name="lease_rent_free"),
    path("leases/<int:pk>/renew/", leases.LeaseRenew.as_view(), name="lease_renew"),
    path("leases/<int:pk>/amend/", leases.LeaseAmend.as_view(), name="lease_amend"),
    path("leases/<int:pk>/charge/", leases.LeaseChargeAdd.as_view(), name="lease_charge"),
    path(
        "leases/<int:pk>/charges/bill/",
        leases.LeaseChargesBill.as_view(),
        name="lease_charges_bill",
    ),
    path("leases/<int:pk>/attachments/", leases.AttachmentUpload.as_view(), name="lease_attach"),
    path("attachments/<int:pk>/", leases.AttachmentDownload.as_view(), name="attachment_download"),
    path("leases/<int:pk>/statement/", billing.LeaseStatement.as_view(), name="lease_statement"),
    path("invoices/", billing.InvoiceList.as_view(), name="invoice_list"),
    path("invoices/issue/", billing.BatchIssue.as_view(), name="invoice_batch"),
    path("invoices/<int:pk>/", billing.InvoiceDetail.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/fapiao/", billing.InvoiceFapiao.as_view(), name="invoice_fapiao"),
    *import_urls("invoices", Invoice, imports.TEMPLATE_KIND),
    path("invoices/<int:pk>/document/", billing.InvoiceDocument.as_view(), name="invoice_document"),
    path("payments/", billing.PaymentList.as_view(), name="payment_list"),
    path("payments/add/", billing.PaymentEdit.as_view(), name="payment_add"),
    path("payments/<int:pk>/", billing.PaymentDetail.as_view(), name="payment_detail"),
    path("payments/<int:pk>/receipt/", billing.ReceiptDocument.as_view(), name="payment_receipt"),
    path("collections/", billing.Collections.as_view(), name="collections"),
    path("reminders/", billing.ReminderList.as_view(), name="reminder_list"),
    path("reminders/<int:pk>/", billing.ReminderDetail.as_view(), name="reminder_detail"),
    path("reminders/<int:pk>/pdf/", billing.ReminderDocument.as_view(), name="reminder_document"),
    path("transfers/", billing.TransferList.as_view(), name="transfer_list"),
    path("transfers/add/", billing.TransferAdd.as_view(), name="transfer_add"),
    path("transfers/<int:pk>/", billing.TransferDetail.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/receipt/", billing.TransferReceipt.as_view(), name="transfer_receipt"),
    *report_urls(REPORTS),  # rent roll, aging, expiries, vacancy, occupancy by month
]
