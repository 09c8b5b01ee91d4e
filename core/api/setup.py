"""The one NinjaAPI: authentication and the JSON error shape for every failure."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from core.api.auth import AUTH
from core.errors import STATUS_OF, ConflictError, Forbidden

__all__ = ["build_api"]


def _message(error: dict[str, Any]) -> str:
    """A pydantic error in the user's language; its own English text where we have none."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("This field is required."),
        "decimal_parsing": _("Enter a number, e.g. 6.5."),
        "decimal_string": _('Send the number as a string, e.g. "6.50".'),
        "decimal_type": _("Enter a number, e.g. 6.5."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "string_type": _("Enter text."),
        "date_from_datetime_parsing": _("Enter a date as 2026-12-01."),
        "date_parsing": _("Enter a date as 2026-12-01."),
        "enum": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "greater_than": _("Must be greater than %(gt)s.") % {"gt": ctx.get("gt", "")},
        "greater_than_equal": _("Must be at least %(ge)s.") % {"ge": ctx.get("ge", "")},
        "less_than_equal": _("Must be at most %(le)s.") % {"le": ctx.get("le", "")},
        "less_than": _("Must be less than %(lt)s.") % {"lt": ctx.get("lt", "")},
        "string_too_short": _("Must not be empty."),
        "string_too_long": _("At most %(max_length)s characters.")
        % {"max_length": ctx.get("max_length", "")},
        "string_pattern_mismatch": _("Use letters, digits, - and _ only."),
        "decimal_max_places": _("At most %(decimal_places)s decimal places.")
        % {"decimal_places": ctx.get("decimal_places", "")},
        "decimal_max_digits": _("Too many digits."),
        "decimal_whole_digits": _("Too many digits before the decimal point."),
        "json_invalid": _("The body is not valid JSON."),
        "too_short": _("Give at least %(min_length)s.") % {"min_length": ctx.get("min_length", "")},
        "too_long": _("Give at most %(max_length)s.") % {"max_length": ctx.get("max_length", "")},
        "literal_error": _("Choose one of: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "int_from_float": _("Enter a whole number."),
        "list_type": _("Send a list."),
        "date_type": _("Enter a date as 2026-12-01."),
        "datetime_parsing": _("Enter a date and time as 2026-12-01T09:00:00+08:00."),
        "datetime_type": _("Enter a date and time as 2026-12-01T09:00:00+08:00."),
        "extra_forbidden": _("This field is not accepted here; leave it out."),
        "value_error": str(ctx.get("error", "")),  # our own validators' (translated) text
        "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."),
    }
    # pydantic's own English never reaches a Chinese answer: an unknown kind gets a sentence
    return str(messages.get(kind) or _("This value is not valid here."))


def _loc_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "__all__"


_REF = re.compile(r"#/components/schemas/([A-Za-z0-9_.-]+)")


def _used_only(schema: Any) -> Any:
    """The OpenAPI document without the component schemas nothing refers to (ninja also
    publishes the models of flattened query parameters, which a generated client would turn
    into unused types)."""
    components = schema.get("components", {}).get("schemas", {})
    used = set(_REF.findall(json.dumps(schema.get("paths", {}))))
    pending = list(used)
    while pending:
        for name in _REF.findall(json.dumps(components.get(pending.pop(), {}))):
            if name not in used:
                used.add(name)
                pending.append(name)
    for name in set(components) - used:
        del components[name]
    return schema


class ObjectBodyParser(Parser):
    """A request body is one JSON object: ``[]``, ``null``, a bare value or text that is not
    JSON is a 422 naming the body, never read as "no changes"."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise DjangoValidationError(
                {"body": [_('Send one JSON object, e.g. {"name": "…"}, as application/json.')]}
            )
        return data


class ParkOpsAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return _used_only(super().get_openapi_schema(**kwargs))


def build_api() -> NinjaAPI:
    api = ParkOpsAPI(
        title="ParkOps API",
        version="1",
        description=_("ParkOps — operations platform for sci-tech industrial parks."),
        auth=AUTH,
        urls_namespace="api",
        parser=ObjectBodyParser(),
    )

    def respond(
        request: HttpRequest,
        status: int,
        code: str,
        detail: str,
        errors: dict[str, list[str]] | None = None,
    ) -> HttpResponse:
        body = {"code": code, "detail": detail, "errors": errors or {}}
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_loc_name(list(error.get("loc", []))), []).append(_message(error))
        return respond(request, 422, "invalid", _("The request has invalid fields."), errors)

    @api.exception_handler(DjangoValidationError)
    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return respond(request, 422, "invalid", _("The request has invalid fields."), errors)

    @api.exception_handler(ConflictError)
    def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
        return respond(request, STATUS_OF.get(exc.code, 409), exc.code, exc.message)

    @api.exception_handler(Forbidden)
    def forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
        return respond(request, 403, "forbidden", _("Your role may not use this operation."))

    @api.exception_handler(IntegrityError)
    def integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        return respond(request, 409, "conflict", _("The change conflicts with existing records."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            "unauthenticated",
            _("Authentication required: log in or send a Bearer token."),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DjangoValidationError):  # a body that is no object
            return django_invalid(request, exc.__cause__)
        return respond(request, exc.status_code, "bad_request", str(exc))

    return api
