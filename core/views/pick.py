"""The matches a picker lists as one types (core.pickers): only records the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.pickers import search

__all__ = ["pick"]


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    # the search box is named after its field (<field>__search), so a form may hold several
    text = str(
        request.GET.get("q")
        or next((v for k, v in request.GET.items() if k.endswith("__search")), "")
    )
    rows = search(request.GET.get("model", ""), text[:100], request.user)
    return render(request, "core/partials/pick_results.html", {"rows": rows, "q": text})
