from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from gembahall.core import urls as core_urls
from gembahall.core.views import healthz
from gembahall.reports.home import home

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("gembahall.accounts.urls")),
    path("org/", include("gembahall.org.urls")),
    path("standards/", include("gembahall.standards.urls")),
    path("inspections/", include("gembahall.inspections.urls")),
    path("problems/", include("gembahall.rectification.urls")),
    path("service/", include("gembahall.reports.urls")),
    path("records/", include("gembahall.casework.urls")),
    path("ratings/", include("gembahall.ratings.urls")),
    path("setup/", include("gembahall.setup.urls")),
    path("rate/", include("gembahall.ratings.urls_public")),
    path("api/v1/", include(("gembahall.api.urls", "api"), namespace="api")),
    # The home page gathers every app's figures, so reports answers it; it keeps
    # its place at the root and its name, core:home, that every page links to.
    path(
        "",
        include(
            ([path("", home, name="home"), *core_urls.urlpatterns], core_urls.app_name)
        ),
    ),
]

handler400 = "gembahall.core.errors.bad_request"
handler403 = "gembahall.core.errors.forbidden"
handler404 = "gembahall.core.errors.not_found"
handler500 = "gembahall.core.errors.server_error"
