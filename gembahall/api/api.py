"""The /api/v1 API: its routers under one NinjaAPI, with the same scope and
permissions as the pages (signed-in session, CSRF on writes); the queue
systems' endpoints authenticate with their center's API key instead."""

from ninja import NinjaAPI

from .checklists import checklists
from .common import PersonSession, errors_as_json
from .inspections import inspections
from .problems import problems
from .service import service


class Api(NinjaAPI):
    """Operation ids stay those clients already use: the checklist and
    inspection endpoints keep the ids of the module they were first written in."""

    FIRST_MODULE = {"gembahall.api.checklists", "gembahall.api.inspections"}

    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__
        if module in self.FIRST_MODULE:
            module = "gembahall.api.api"
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = Api(
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
