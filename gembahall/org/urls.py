from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("centers/<uuid:center>/", views.center_tree, name="center_tree"),
    path(
        "departments/<uuid:department>/windows/",
        views.department_windows,
        name="department_windows",
    ),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:unit>/", views.unit_detail, name="unit_detail"),
    path("units/<uuid:unit>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<uuid:unit>/end/", views.unit_end, name="unit_end"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:person>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person>/phone/", views.person_phone, name="person_phone"),
    path("people/<uuid:person>/account/", views.account_create, name="account_create"),
    path("people/<uuid:person>/roles/", views.role_assign, name="role_assign"),
    path("roles/<uuid:assignment>/end/", views.role_end, name="role_end"),
    path("committee/", views.committee, name="committee"),
    path("committee/join/", views.committee_join, name="committee_join"),
    path("committee/<uuid:seat>/leave/", views.committee_leave, name="committee_leave"),
    path("units/<uuid:unit>/pairings/", views.pairing_add, name="pairing_add"),
    path("pairings/<uuid:pairing>/end/", views.pairing_end, name="pairing_end"),
    path("import/", views.roster_import, name="import"),
    path("import/sample.xlsx", views.roster_sample, name="import_sample"),
    path("import/<uuid:job>/", views.roster_import_job, name="import_job"),
    path(
        "import/<uuid:job>/confirm/", views.roster_import_confirm, name="import_confirm"
    ),
]
