"""django-ninja helpers shared by every app's API: auth, errors, keyset pages, filters."""

from core.api.base import (
    ERRORS,
    ErrorOut,
    FilterQuery,
    api_operation,
    filter_queryset,
    page_of,
    page_schema,
)

__all__ = [
    "ERRORS",
    "ErrorOut",
    "FilterQuery",
    "api_operation",
    "filter_queryset",
    "page_of",
    "page_schema",
]
