"""The one NinjaAPI: authentication and the JSON error shape for every failure."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from core.api.auth import AUTH
from core.errors import ConflictError

__all__ = ["build_api"]


def _loc_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="ParkOps API",
        version="1",
        description=_("ParkOps — operations platform for sci-tech industrial parks."),
        auth=AUTH,
        urls_namespace="api",
    )

    def respond(request: HttpRequest, status: int, detail: str,
                errors: dict[str, list[str]] | None = None) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "errors": errors or {}},
                                   status=status)

    @api.exception_handler(NinjaValidationError)
    def ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_loc_name(list(error.get("loc", []))), []).append(
                str(error.get("msg", ""))
            )
        return respond(request, 422, _("The request has invalid fields."), errors)

    @api.exception_handler(DjangoValidationError)
    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return respond(request, 422, _("The request has invalid fields."), errors)

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return respond(request, 409, exc.message)

    @api.exception_handler(IntegrityError)
    def integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        return respond(request, 409, _("The change conflicts with existing records."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, _("Authentication required: log in or send a Bearer token."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))

    return api
