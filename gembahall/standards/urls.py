from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.library, name="library"),
    path("mine/", views.mine, name="mine"),
    path("acknowledgements/", views.progress_overview, name="progress_overview"),
    path("new/", views.standard_create, name="create"),
    path("manual/<slug:domain>.pdf", views.manual_pdf, name="manual"),
    path("<uuid:standard>/", views.detail, name="detail"),
    path("<uuid:standard>/edit/", views.standard_edit, name="edit"),
    path("<uuid:standard>/draft/", views.draft_start, name="draft_start"),
    path("<uuid:standard>/progress/", views.progress, name="progress"),
    path("<uuid:standard>/card-<slug:size>.pdf", views.card_pdf, name="card"),
    path("versions/<uuid:version>/", views.version_edit, name="version_edit"),
    path("versions/<uuid:version>/photos/", views.photo_add, name="photo_add"),
    path("versions/<uuid:version>/publish/", views.publish, name="publish"),
    path("versions/<uuid:version>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("photos/<uuid:ref>/remove/", views.photo_remove, name="photo_remove"),
]
