from django.urls import path

from . import views
from .catalogue import views as catalogue

app_name = "casework"

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/import/", catalogue.catalogue_upload, name="catalogue_import"),
    path(
        "catalogue/import/sample.csv",
        catalogue.catalogue_sample,
        name="catalogue_sample",
    ),
    path(
        "catalogue/import/<uuid:catalogue_job>/",
        catalogue.catalogue_job,
        name="catalogue_job",
    ),
    path(
        "catalogue/import/<uuid:catalogue_job>/confirm/",
        catalogue.catalogue_confirm,
        name="catalogue_confirm",
    ),
    path("catalogue/<uuid:service_item>/edit/", catalogue.item_edit, name="item_edit"),
    path("catalogue/<uuid:service_item>/", views.item_detail, name="item"),
    path(
        "catalogue/<uuid:service_item>/notice.pdf",
        views.item_notice,
        name="item_notice",
    ),
    path("inquiries/", views.inquiries, name="inquiries"),
    path("cases/", views.cases, name="cases"),
    path("cases/<uuid:case>/", views.case_detail, name="case"),
    path("agent/", views.agent_requests, name="agent_requests"),
    path(
        "agent/<uuid:agent_request>/",
        views.agent_request_detail,
        name="agent_request",
    ),
    path(
        "agent/<uuid:agent_request>/phone/",
        views.agent_request_phone,
        name="agent_request_phone",
    ),
    path(
        "agent/<uuid:agent_request>/step/",
        views.agent_request_step,
        name="agent_request_step",
    ),
    path("import/", views.import_upload, name="import"),
    path("import/<uuid:records_job>/", views.import_job, name="import_job"),
    path(
        "import/<uuid:records_job>/confirm/",
        views.import_confirm,
        name="import_confirm",
    ),
    path("keys/", views.tokens, name="tokens"),
    path("keys/<uuid:token>/revoke/", views.token_revoke_view, name="token_revoke"),
]
