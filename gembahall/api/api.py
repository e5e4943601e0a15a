"""The /api/v1 API: its routers under one NinjaAPI, with the same scope and
permissions as the pages (signed-in session, CSRF on writes); the queue
systems' endpoints authenticate with their center's API key instead."""

from ninja import NinjaAPI

from .checklists import checklists
from .common import PersonSession, errors_as_json
from .inspections import inspections
from .problems import problems
from .service import service

api = NinjaAPI(
    title="Gemba Hall API",
    version="1",
    urls_namespace="api",
    auth=PersonSession(),
    docs_url=None,
)
errors_as_json(api)

api.add_router("/checklists", checklists)
api.add_router("/inspections", inspections)
api.add_router("/problems", problems)
api.add_router("/service", service)
