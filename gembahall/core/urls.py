from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("center/", views.center_switch, name="center_switch"),
    path("audit/", views.audit_list, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("jobs/<uuid:job>/", views.job_detail, name="job_detail"),
    path("photos/<uuid:photo>/", views.photo_file, name="photo"),
    path("photos/<uuid:photo>/thumb/", views.photo_thumbnail, name="photo_thumbnail"),
    path("calendar/", views.calendar, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(
        "notifications/<uuid:notification>/",
        views.notification_open,
        name="notification_open",
    ),
    path("calendar/<int:year>/edit/", views.calendar_edit, name="calendar_edit"),
]
