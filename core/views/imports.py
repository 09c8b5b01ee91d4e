"""Import (dry run, then a background task with progress) and export pages for any model
whose app registered a spreadsheet template (core.imports.register)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from core import audit, imports
from core.choices import AuditAction, JobStatus
from core.documents import xlsx_response
from core.jobs import job_create
from core.models import BackgroundJob
from core.tasks import CHECK, run_import, run_import_check
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
    """Upload → a dry-run job on the worker (progress shown) → its result, paged → confirm →
    the import job. Nothing long runs inside a web request."""

    action = "add"
    template_name = "core/import.html"
    ROWS_PER_PAGE = 100
    SHOWN = {  # ?show= -> which rows of the dry run
        "problems": ("error",),
        "changes": ("create", "update"),
        "all": None,
    }

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {**self.page_context(), "form": UploadForm()}
        if job_id := request.GET.get("job"):
            context.update(self.dry_run_context(request, self.check_job(request, job_id)))
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest) -> HttpResponse:
        if "job" in request.POST:
            return self.confirm(request, request.POST["job"])
        return self.upload(request)

    def check_job(self, request: HttpRequest, job_id: str) -> BackgroundJob:
        if not job_id.isdigit():
            raise Http404
        job = get_object_or_404(
            BackgroundJob, pk=int(job_id), user=request.user, kind=CHECK + self.kind
        )
        job.fail_if_stale()
        return job

    def upload(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {**self.page_context(), "form": form})
        upload = form.cleaned_data["file"]
        what = {"what": self.model._meta.verbose_name_plural, "name": upload.name}
        job = job_create(
            actor=request.user,
            kind=CHECK + self.kind,
            title=str(_("Import %(what)s from %(name)s") % what),
            payload=upload.read(),
        )
        run_import_check.enqueue(job.pk)
        return redirect(f"{request.path}?job={job.pk}")

    def dry_run_context(self, request: HttpRequest, job: BackgroundJob) -> dict[str, Any]:
        plan = job.result.get("plan") if job.status == JobStatus.DONE else None
        if plan is None:  # still checking, or the check itself failed: its progress card
            return {"checking": job}
        show = request.GET.get("show") or ("problems" if plan["summary"]["error"] else "all")
        actions = self.SHOWN.get(show)
        rows = [r for r in plan["rows"] if actions is None or r["action"] in actions]
        page = Paginator(rows, self.ROWS_PER_PAGE).get_page(request.GET.get("page"))
        return {
            "plan": plan,
            "summary": plan["summary"],
            "job": job if plan["ok"] else None,
            "confirmed": job.result.get("confirmed_job"),
            "page_obj": page,
            "show": show,
            "shown_choices": [
                ("problems", _("Problems")),
                ("changes", _("New and changed")),
                ("all", _("All rows")),
            ],
        }

    def confirm(self, request: HttpRequest, job_id: str) -> HttpResponse:
        """Import a checked file: a new job over the very bytes the dry run read, once."""
        checked = self.check_job(request, job_id)
        plan = checked.result.get("plan") if checked.status == JobStatus.DONE else None
        if plan is None or not plan["ok"]:
            raise Http404
        if confirmed := checked.result.get("confirmed_job"):
            return redirect("core:job_detail", confirmed)  # a second click imports nothing
        job = job_create(
            actor=request.user,
            kind=self.kind,
            title=checked.title,
            payload=bytes(checked.payload),
        )
        checked.result["confirmed_job"] = job.pk
        checked.save(update_fields=["result"])
        run_import.enqueue(job.pk)
        return redirect("core:job_detail", job.pk)


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
        audit.request_event(
            request,
            action=AuditAction.EXPORT,
            model=self.model,
            object_repr=str(self.model._meta.verbose_name_plural),
            comment=f"park={park or '*'}",
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
