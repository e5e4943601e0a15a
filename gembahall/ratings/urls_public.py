"""The citizens' rating pages, outside the signed-in application."""

from django.urls import path

from . import public

app_name = "rate"

urlpatterns = [
    path("w/<uuid:window>/", public.rate_window, name="rate_window"),
    path(
        "t/<slug:center>/<str:ticket_no>/<str:token>/",
        public.rate_ticket,
        name="rate_ticket",
    ),
]
