from core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    Tab,
    object_urls,
    register_context,
    register_tab,
)

__all__ = [
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectListView",
    "Tab",
    "object_urls",
    "register_context",
    "register_tab",
]
