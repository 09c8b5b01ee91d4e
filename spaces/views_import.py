"""Unit import (dry run, then a background task) and export in the Chinese .xlsx template."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from core.choices import JobStatus
from core.jobs import job_create
from core.models import BackgroundJob
from core.views.generic import ScopedView
from spaces.imports import export_units, plan_import, template_workbook
from spaces.models import Unit
from spaces.tasks import import_units

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file (Excel 2007 or later)."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it."))
        return upload


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class UnitImport(ScopedView):
    model = Unit
    action = "add"
    template_name = "spaces/unit_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": UploadForm()})

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
            kind="unit_import",
            status=JobStatus.QUEUED,
        )
        import_units.enqueue(queued.pk)
        return redirect("core:job_detail", queued.pk)

    def dry_run(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        content = form.cleaned_data["file"].read()
        plan = plan_import(content, user=request.user)
        job: BackgroundJob | None = None
        if plan.ok:
            job = job_create(
                actor=request.user,
                kind="unit_import",
                title=str(_("Import units from %(name)s"))
                % {"name": form.cleaned_data["file"].name},
                payload=content,
            )
        return render(
            request,
            self.template_name,
            {"form": UploadForm(), "plan": plan, "summary": plan.summary(), "job": job},
        )


class UnitTemplate(ScopedView):
    model = Unit
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return _xlsx(template_workbook(), "units-template.xlsx")


class UnitExport(ScopedView):
    model = Unit

    def get(self, request: HttpRequest) -> HttpResponse:
        units = Unit.objects.restrict(request.user).select_related("park", "building", "floor")
        if park := request.GET.get("park") or request.session.get("park"):
            units = units.filter(park__code=park)
        units = units.order_by("park__code", "building__code", "code")
        return _xlsx(export_units(units.iterator(chunk_size=2000)), "units.xlsx")
