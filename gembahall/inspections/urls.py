from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/<slug:kind>/", views.start, name="start"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<uuid:plan>/", views.plan, name="plan"),
    path("plans/<uuid:plan>/edit/", views.plan_edit, name="plan_edit"),
    path("rounds/<uuid:round>/", views.round_detail, name="round"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/new/", views.checklist_create, name="checklist_create"),
    path("checklists/copy/", views.checklist_copy, name="checklist_copy"),
    path("checklists/<uuid:checklist>/", views.checklist, name="checklist"),
    path(
        "checklists/<uuid:checklist>/settings/",
        views.checklist_settings,
        name="checklist_settings",
    ),
    path(
        "checklists/<uuid:checklist>/order/",
        views.checklist_order,
        name="checklist_order",
    ),
    path(
        "checklists/<uuid:checklist>/retire/",
        views.checklist_retire,
        name="checklist_retire",
    ),
    path(
        "checklists/<uuid:checklist>/export.xlsx",
        views.checklist_export,
        name="checklist_export",
    ),
    path(
        "checklists/<uuid:checklist>/import/",
        views.checklist_import,
        name="checklist_import",
    ),
    path(
        "checklists/<uuid:checklist>/draft/",
        views.checklist_draft,
        name="checklist_draft",
    ),
    path(
        "checklists/<uuid:checklist>/publish/",
        views.checklist_publish,
        name="checklist_publish",
    ),
    path(
        "checklists/<uuid:checklist>/items/new/",
        views.checklist_item_add,
        name="checklist_item_add",
    ),
    path("items/<uuid:item>/", views.checklist_item_edit, name="checklist_item_edit"),
    path(
        "items/<uuid:item>/remove/",
        views.checklist_item_remove,
        name="checklist_item_remove",
    ),
    path("ranking/", views.ranking, name="ranking"),
    path("bulletin.pdf", views.bulletin, name="bulletin"),
    path("export/", views.export, name="export"),
    path("units/<uuid:unit>/results/", views.unit_results, name="unit_results"),
    path("<uuid:inspection>/", views.inspection, name="inspection"),
    path(
        "<uuid:inspection>/pass-remaining/", views.pass_remaining, name="pass_remaining"
    ),
    path("<uuid:inspection>/finalize/", views.finalize, name="finalize"),
    path("<uuid:inspection>/witness/", views.witness_set, name="witness_set"),
    path("<uuid:inspection>/confirm/", views.witness_confirm, name="witness_confirm"),
    path("<uuid:inspection>/items/<uuid:result>/", views.answer, name="answer"),
    path(
        "<uuid:inspection>/items/<uuid:result>/photos/",
        views.photo_add,
        name="photo_add",
    ),
    path(
        "<uuid:inspection>/items/<uuid:result>/photos/<uuid:photo>/remove/",
        views.photo_remove,
        name="photo_remove",
    ),
]
