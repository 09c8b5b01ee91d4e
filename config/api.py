"""The REST API under /api/v1/: one router per app."""

from admissions.api import router as admissions_router
from core.api.routes import router as core_router
from core.api.setup import build_api
from enterprises.api import router as enterprises_router
from leasing.api import router as leasing_router
from spaces.api import router as spaces_router

api = build_api()
api.add_router("/", core_router)
api.add_router("/spaces/", spaces_router)
api.add_router("/enterprises/", enterprises_router)
api.add_router("/leasing/", leasing_router)
api.add_router("/admissions/", admissions_router)
