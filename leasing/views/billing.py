"""Bill and payment pages, and the documents a bill, a receipt or a lease statement prints as."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import pdf_document, pdf_response, xlsx_response, xlsx_workbook
from core.errors import ConflictError
from core.jobs import job_create
from core.permissions import can, get_restricted_or_404
from core.tables import Column, status_tag
from core.views import ObjectDetailView, ObjectEditView, ObjectListView, Tab
from core.views.generic import ScopedView
from leasing import billing, collections, documents, filters, forms, services, tasks
from leasing.choices import InvoiceKind
from leasing.models import Invoice, Lease, Payment, Reminder, Transfer

__all__ = [
    "BatchIssue",
    "Collections",
    "InvoiceDetail",
    "InvoiceDocument",
    "InvoiceFapiao",
    "InvoiceList",
    "LeaseStatement",
    "PaymentDetail",
    "PaymentEdit",
    "PaymentList",
    "ReceiptDocument",
    "ReminderDetail",
    "ReminderDocument",
    "ReminderList",
    "TransferAdd",
    "TransferDetail",
    "TransferList",
    "TransferReceipt",
]


def _money(attr: str) -> Any:
    return lambda obj: f"{getattr(obj, attr):,.2f}"


class InvoiceList(ObjectListView):
    model = Invoice
    filterset_class = filters.InvoiceFilter
    default_order = "-due_on"
    select_related = ("enterprise", "lease")
    # key columns first (number, tenant, status, due, what is owed): on a 1366 px screen
    # they are in view without scrolling; the period and the rest follow
    columns = [
        Column("number", sortable=True, link=True),
        Column("enterprise"),
        Column(
            "status",
            label=gettext_lazy("Status"),
            render=lambda i: status_tag(i.status, i.status.label),
        ),
        Column("due_on", sortable=True),
        Column(
            "outstanding",
            label=gettext_lazy("Outstanding (元)"),
            numeric=True,
            render=_money("outstanding"),
        ),
        Column("amount", numeric=True, render=_money("amount")),
        Column("kind"),
        Column("period_start"),
        Column("period_end"),
        Column("settled", numeric=True, render=_money("settled")),
        Column(
            "fapiao_no",
            label=gettext_lazy("Fapiao"),
            render=lambda i: i.fapiao_no or i.fapiao_status.label,
        ),
    ]
    extra_actions = [
        (gettext_lazy("Issue due bills"), "leasing:invoice_batch"),
        (gettext_lazy("Import fapiao"), "leasing:invoice_import"),
    ]


def _lines(request: HttpRequest, invoice: Invoice) -> dict[str, Any]:
    return {
        "lines": invoice.lines.all(),
        "settlements": invoice.settlements.select_related("payment", "credit_note"),
    }


class InvoiceDetail(ObjectDetailView):
    model = Invoice
    template_name = "leasing/invoice_detail.html"
    fields = [
        "number",
        "kind",
        "lease",
        "enterprise",
        "park",
        "period_start",
        "period_end",
        "issued_on",
        "due_on",
        "amount",
        "settled",
        "corrects",
        "note",
        "fapiao_no",
        "fapiao_on",
        "fapiao_kind",
    ]
    tabs = [Tab("lines", gettext_lazy("Lines"), "leasing/partials/invoice_lines.html", _lines)]
    default_tab = "lines"

    def extra_context(self, request: HttpRequest, obj: Invoice) -> dict[str, Any]:
        return {
            "can_change": False,
            "can_delete": False,
            "can_record_payment": Payment.policy.allows_role(request.user, "add"),  # type: ignore[attr-defined]
            # a deposit is acknowledged by a receipt and a credit note by a red fapiao the
            # tax system issues against the original: neither is invoiced here
            "invoiceable": obj.kind not in (InvoiceKind.DEPOSIT, InvoiceKind.CREDIT),
            "can_record_fapiao": can(request.user, "change", obj)
            and obj.kind not in (InvoiceKind.DEPOSIT, InvoiceKind.CREDIT),
            "breadcrumbs": [(_("Invoices"), reverse("leasing:invoice_list")), (obj, None)],
        }


class InvoiceFapiao(ScopedView):
    """Record or correct the fapiao of one bill (finance staff)."""

    model = Invoice
    action = "change"

    def _page(self, request: HttpRequest, invoice: Invoice, form: Any) -> HttpResponse:
        return render(
            request,
            "core/object_edit.html",
            {
                **self.base_context(),
                "form": form,
                "object": invoice,
                "cancel_url": reverse("leasing:invoice_detail", args=[invoice.pk]),
                "help_link": None,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = get_restricted_or_404(Invoice, request.user, "change", pk=pk)
        initial = {
            "fapiao_no": invoice.fapiao_no,
            "fapiao_on": invoice.fapiao_on,
            "fapiao_kind": invoice.fapiao_kind,
        }
        return self._page(request, invoice, forms.FapiaoForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invoice = get_restricted_or_404(Invoice, request.user, "change", pk=pk)
        form = forms.FapiaoForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                billing.fapiao_record(
                    actor=request.user,
                    invoice=invoice,
                    number=data["fapiao_no"],
                    on=data["fapiao_on"],
                    kind=data["fapiao_kind"],
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("leasing:invoice_detail", pk=invoice.pk)
        return self._page(request, invoice, form)


class _Document(ScopedView):
    """GET ``?format=pdf`` (default) or ``?format=xlsx`` of one record the user may view."""

    formats: ClassVar[tuple[str, ...]] = ("pdf", "xlsx")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_restricted_or_404(self.model, request.user, "view", pk=pk)
        fmt = request.GET.get("format", "pdf")
        if fmt not in self.formats:
            raise Http404
        title, facts, sheets, name = self.content(obj)
        if fmt == "xlsx":
            return xlsx_response(xlsx_workbook(*sheets), f"{name}.xlsx")
        return pdf_response(pdf_document(title, facts, sheets), f"{name}.pdf")

    def content(self, obj: Any) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        raise NotImplementedError


class InvoiceDocument(_Document):
    model = Invoice

    def content(self, obj: Invoice) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        title = _("Bill") if obj.kind != "credit" else _("Credit note")
        return (
            f"{obj.park.name}　{title}",
            documents.invoice_facts(obj),
            [documents.invoice_sheet(obj)],
            obj.number,
        )


class ReceiptDocument(_Document):
    model = Payment
    formats = ("pdf",)

    def content(self, obj: Payment) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        title = _("Receipt")  # outside the f-string, where makemessages finds it
        return (
            f"{obj.park.name}　{title}",
            documents.receipt_facts(obj),
            [documents.receipt_sheet(obj)],
            obj.receipt_no,
        )


class LeaseStatement(_Document):
    model = Lease

    def content(self, obj: Lease) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        today = timezone.localdate()
        statement = _("Statement")
        facts = [
            (_("Tenant"), obj.enterprise.name),
            (_("Contract number"), obj.contract_no),
            (_("Term"), f"{obj.start_on} ~ {obj.end_on}"),
            (_("Deposit held (元)"), billing.deposit_held(obj)),
        ]
        return (
            f"{obj.park.name}　{statement}",
            facts,
            [
                *documents.statement_sheets(obj, today),
                documents.schedule_sheet(services.lease_schedule(obj)),
            ],
            f"{obj.contract_no}-{today:%Y%m%d}",
        )


class PaymentList(ObjectListView):
    model = Payment
    filterset_class = filters.PaymentFilter
    default_order = "-received_on"
    select_related = ("enterprise", "lease")
    columns = [
        Column("receipt_no", sortable=True, link=True),
        Column("enterprise"),
        Column("lease.contract_no", label=gettext_lazy("Contract number")),
        Column("received_on", sortable=True),
        Column("method"),
        Column("amount", numeric=True, render=_money("amount")),
        Column("unapplied", numeric=True, render=_money("unapplied")),
    ]
    extra_actions = [
        (gettext_lazy("One transfer for several leases"), "leasing:transfer_add"),
        (gettext_lazy("Transfers"), "leasing:transfer_list", "view"),
    ]


def _record(*, actor: Any, instance: Payment, **_: Any) -> Payment:
    return billing.payment_record(actor=actor, payment=instance)


class PaymentEdit(ObjectEditView):
    """Record a payment (payments are never edited: a wrong one is reversed by finance)."""

    model = Payment
    form_class = forms.PaymentForm
    create = _record

    @classmethod
    def required_action(cls, kwargs: dict[str, Any]) -> str:
        return "add"

    def get_form(self, request: HttpRequest, instance: Any, data: Any = None) -> Any:
        initial = {"received_on": timezone.localdate(), "lease": request.GET.get("lease")}
        return self.form_class(data, instance=instance, user=request.user, initial=initial)  # type: ignore[call-arg]

    def create_kwargs(self, form: Any) -> dict[str, Any]:
        return {}


def _settlements(request: HttpRequest, payment: Payment) -> dict[str, Any]:
    return {"settlements": payment.settlements.select_related("invoice")}


class PaymentDetail(ObjectDetailView):
    model = Payment
    template_name = "leasing/payment_detail.html"
    fields = [
        "receipt_no",
        "lease",
        "enterprise",
        "park",
        "received_on",
        "amount",
        "unapplied",
        "method",
        "reference",
    ]
    tabs = [
        Tab(
            "applied",
            gettext_lazy("Applied to"),
            "leasing/partials/payment_settlements.html",
            _settlements,
        )
    ]
    default_tab = "applied"

    def extra_context(self, request: HttpRequest, obj: Payment) -> dict[str, Any]:
        return {
            "can_change": False,
            "can_delete": False,
            "breadcrumbs": [(_("Payments"), reverse("leasing:payment_list")), (obj, None)],
        }


class TransferList(ObjectListView):
    model = Transfer
    filterset_class = filters.TransferFilter
    default_order = "-received_on"
    select_related = ("enterprise",)
    columns = [
        Column("receipt_no", sortable=True, link=True),
        Column("enterprise"),
        Column("received_on", sortable=True),
        Column("amount", numeric=True, render=_money("amount")),
        Column("method"),
        Column("reference"),
    ]


class TransferAdd(ScopedView):
    """合并收款: one transfer from a tenant for several of its leases."""

    model = Transfer
    action = "add"

    def _form(self, request: HttpRequest, data: Any = None) -> forms.TransferForm:
        initial = {"received_on": timezone.localdate(), "enterprise": request.GET.get("enterprise")}
        return forms.TransferForm(data, user=request.user, initial=initial)

    def _page(self, request: HttpRequest, form: forms.TransferForm) -> HttpResponse:
        open_by_lease = {
            row["lease_id"]: row["open"]
            for row in Invoice.objects.filter(lease__in=form.leases)
            .exclude(kind=InvoiceKind.CREDIT)
            .values("lease_id")
            .annotate(open=Sum(F("amount") - F("settled")))
        }
        rows = [
            (lease, open_by_lease.get(lease.pk) or 0, form[f"share_{lease.pk}"])
            for lease in form.leases
        ]
        return render(
            request,
            "leasing/transfer_add.html",
            {**self.base_context(), "form": form, "lease_rows": rows},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = billing.transfer_record(
                    actor=request.user,
                    enterprise=data["enterprise"],
                    received_on=data["received_on"],
                    amount=data["amount"],
                    method=data["method"],
                    reference=data["reference"],
                    shares=form.shares(),
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            except ConflictError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("leasing:transfer_detail", pk=transfer.pk)
        return self._page(request, form)


def _transfer_bills(request: HttpRequest, transfer: Transfer) -> dict[str, Any]:
    return {"sheet": documents.transfer_sheet(transfer)}


class TransferDetail(ObjectDetailView):
    model = Transfer
    fields = ["receipt_no", "enterprise", "received_on", "amount", "method", "reference"]
    tabs = [
        Tab(
            "applied",
            gettext_lazy("Applied to"),
            "leasing/partials/transfer_settlements.html",
            _transfer_bills,
        )
    ]
    default_tab = "applied"
    template_name = "leasing/transfer_detail.html"

    def extra_context(self, request: HttpRequest, obj: Transfer) -> dict[str, Any]:
        return {
            "can_change": False,
            "can_delete": False,
            "parts": obj.payments.select_related("lease"),
            "breadcrumbs": [(_("Transfers"), reverse("leasing:transfer_list")), (obj, None)],
        }


class TransferReceipt(_Document):
    model = Transfer
    formats = ("pdf",)

    def content(self, obj: Transfer) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        title = _("Receipt")
        return (
            f"{obj.operator.name}　{title}",
            documents.transfer_facts(obj),
            [documents.transfer_sheet(obj)],
            obj.receipt_no,
        )


class Collections(ScopedView):
    """催缴: tenants with overdue bills, park by park, with the last notice sent; send one
    notice or a batch of them."""

    model = Reminder
    action = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        invoices = Invoice.objects.restrict(request.user, "view")
        park = request.GET.get("park")
        if park:
            invoices = invoices.filter(park__code=park)
        rows = collections.collection_rows(invoices, today)
        return render(
            request,
            "leasing/collections.html",
            {
                **self.base_context(),
                "rows": [(r, r.days_overdue(today)) for r in rows],
                "total": sum((r.overdue for r in rows), 0),
                "can_send": Reminder.policy.allows_role(request.user, "add"),  # type: ignore[attr-defined]
                "today": today,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not Reminder.policy.allows_role(request.user, "add"):  # type: ignore[attr-defined]
            raise Http404
        sent, refused = [], []
        for key in request.POST.getlist("row"):
            enterprise_id, _sep, park_id = key.partition(":")
            if not (enterprise_id.isdigit() and park_id.isdigit()):
                continue
            try:
                sent.append(
                    collections.reminder_send(
                        actor=request.user, enterprise_id=int(enterprise_id), park_id=int(park_id)
                    )
                )
            except (ConflictError, Http404) as exc:
                refused.append(str(getattr(exc, "message", exc)))
        if sent:
            messages.success(
                request,
                _("%(count)d collection notices sent: %(numbers)s.")
                % {"count": len(sent), "numbers": "、".join(r.number for r in sent)},
            )
        for reason in refused:
            messages.error(request, reason)
        if not sent and not refused:
            messages.error(request, _("Tick the tenants to send a notice to."))
        return redirect("leasing:collections")


class ReminderList(ObjectListView):
    model = Reminder
    filterset_class = filters.ReminderFilter
    default_order = "-sent_on"
    select_related = ("enterprise", "park")
    columns = [
        Column("number", sortable=True, link=True),
        Column("enterprise"),
        Column("park"),
        Column("sent_on", sortable=True),
        Column("overdue", numeric=True, render=_money("overdue")),
        Column("pay_by"),
    ]


class ReminderDetail(ObjectDetailView):
    model = Reminder
    fields = ["number", "enterprise", "park", "sent_on", "overdue", "pay_by"]
    template_name = "leasing/reminder_detail.html"

    def extra_context(self, request: HttpRequest, obj: Reminder) -> dict[str, Any]:
        return {
            "can_change": False,
            "can_delete": False,
            "sheet": collections.reminder_sheet(obj),
            "breadcrumbs": [
                (_("Collection notices"), reverse("leasing:reminder_list")),
                (obj, None),
            ],
        }


class ReminderDocument(_Document):
    model = Reminder
    formats = ("pdf",)

    def content(self, obj: Reminder) -> tuple[str, list[tuple[str, Any]], list[Any], str]:
        title = _("Collection notice")
        return (
            f"{obj.park.name}　{title}",
            collections.reminder_facts(obj),
            [collections.reminder_sheet(obj)],
            obj.number,
        )


class BatchIssue(ScopedView):
    """批量出账: issue the bills due today for a park's leases, or those ticked, as a
    background job whose progress the page shows."""

    model = Invoice
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        leases = Lease.objects.restrict(request.user, "change")
        park = request.GET.get("park")
        if park:
            leases = leases.filter(park__code=park)
        due = billing.leases_to_bill(leases, today)
        return render(
            request,
            "leasing/batch_issue.html",
            {**self.base_context(), "leases": due, "today": today, "park": park},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = [int(i) for i in request.POST.getlist("lease") if i.isdigit()]
        leases = Lease.objects.restrict(request.user, "change").filter(pk__in=ids)
        chosen = list(leases.values_list("pk", flat=True))
        if not chosen:
            messages.error(request, _("Tick the leases to bill."))
            return redirect("leasing:invoice_batch")
        job = job_create(
            actor=request.user,
            kind=tasks.JOB_KIND,
            title=str(_("Issue the due bills of %(count)d leases") % {"count": len(chosen)}),
            payload=json.dumps({"lease_ids": chosen}).encode(),
        )
        tasks.issue_due_bills.enqueue(job.pk)
        return redirect("core:job_detail", job.pk)
