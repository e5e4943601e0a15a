from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("cards.pdf", views.window_cards, name="cards"),
    path("<uuid:rating>/", views.rating_detail, name="detail"),
    path("<uuid:rating>/callback", views.rating_callback, name="callback"),
    path("<uuid:rating>/exclude", views.rating_exclude_view, name="exclude"),
    path(
        "<uuid:rating>/appeal-reject", views.rating_appeal_reject, name="appeal_reject"
    ),
]
