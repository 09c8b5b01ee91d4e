"""The REST API under /api/v1/: one router per app, found through the app registry."""

from core.api.setup import build_api
from core.registry import api_routers

api = build_api()
for prefix, router in api_routers():
    api.add_router(prefix, router)
