from core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    object_urls,
)

__all__ = [
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "Tab",
    "object_urls",
]
