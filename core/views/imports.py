"""Import (dry run, then a background task with progress) and export pages for any model
whose app registered a spreadsheet template (core.imports.register)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from core import audit, imports
from core.choices import AuditAction, JobStatus
from core.documents import xlsx_response
from core.jobs import job_create
from core.models import BackgroundJob
from core.tasks import run_import
from core.views.generic import ScopedView

__all__ = ["ExportView", "ImportView", "TemplateDownloadView"]

MAX_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file (Excel 2007 or later)."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload


class _TemplateView(ScopedView):
    kind: ClassVar[str]  # "spaces.unit": the registered template and the job kind

    @property
    def template(self) -> imports.Template:
        return imports.template_for(self.kind)

    def page_context(self) -> dict[str, Any]:
        app_label, model_name = self.kind.split(".")
        return {
            **self.base_context(),
            "list_url": self.url("list"),
            "template_url_name": f"{app_label}:{model_name}_import_template",
            "export_url_name": f"{app_label}:{model_name}_export",
        }


class ImportView(_TemplateView):
    action = "add"
    template_name = "core/import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {**self.page_context(), "form": UploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "job" in request.POST:
            return self.confirm(request, request.POST["job"])
        return self.dry_run(request)

    def confirm(self, request: HttpRequest, job_id: str) -> HttpResponse:
        """Run a checked file: the job holds the very bytes the dry run read."""
        if not job_id.isdigit():
            raise Http404
        queued = get_object_or_404(
            BackgroundJob,
            pk=int(job_id),
            user=request.user,
            kind=self.kind,
            status=JobStatus.QUEUED,
        )
        run_import.enqueue(queued.pk)
        return redirect("core:job_detail", queued.pk)

    def dry_run(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {**self.page_context(), "form": form})
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = imports.plan_import(self.template, content, user=request.user)
        job: BackgroundJob | None = None
        if plan.ok:
            title = _("Import %(what)s from %(name)s") % {
                "what": self.model._meta.verbose_name_plural,
                "name": upload.name,
            }
            job = job_create(actor=request.user, kind=self.kind, title=str(title), payload=content)
        return render(
            request,
            self.template_name,
            {
                **self.page_context(),
                "form": UploadForm(),
                "plan": plan,
                "summary": plan.summary(),
                "job": job,
            },
        )


class TemplateDownloadView(_TemplateView):
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return xlsx_response(
            imports.template_workbook(self.template), f"{self.kind.replace('.', '-')}-template.xlsx"
        )


class ExportView(_TemplateView):
    def get(self, request: HttpRequest) -> HttpResponse:
        assert self.template.export_rows is not None
        park = request.GET.get("park") or request.session.get("park")
        rows = self.template.export_rows(request.user, park)
        workbook = imports.export_workbook(self.template, rows, user=request.user, model=self.model)
        # who took which records out of the system, and from where (等保 2.0 安全审计, PIPL)
        audit.event(
            actor=request.user,
            action=AuditAction.EXPORT,
            model=self.model,
            object_repr=str(self.model._meta.verbose_name_plural),
            comment=f"park={park or '*'}",
            ip=request.META.get("REMOTE_ADDR"),
            device=request.META.get("HTTP_USER_AGENT", ""),
        )
        return xlsx_response(workbook, f"{self.kind.replace('.', '-')}.xlsx")


def import_urls(prefix: str, model: type[models.Model], kind: str) -> list[Any]:
    """The three URLs of a model's spreadsheet: import, template, export."""
    from django.urls import path

    name = model._meta.model_name
    attrs = {"model": model, "kind": kind}

    def view(base: type[_TemplateView]) -> Any:
        return type(base.__name__, (base,), attrs).as_view()  # type: ignore[attr-defined]

    return [
        path(
            f"{prefix}/import/",
            view(ImportView),
            name=f"{name}_import",
        ),
        path(
            f"{prefix}/import/template.xlsx",
            view(TemplateDownloadView),
            name=f"{name}_import_template",
        ),
        path(
            f"{prefix}/export.xlsx",
            view(ExportView),
            name=f"{name}_export",
        ),
    ]
