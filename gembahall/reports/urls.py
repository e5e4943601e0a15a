from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tickets/", views.tickets, name="tickets"),
    path("before-after/", views.before_after, name="before_after"),
]
