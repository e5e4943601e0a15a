from django.urls import path

from . import contact_views, held_views, views

app_name = "ratings"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("cards.pdf", views.window_cards, name="cards"),
    path("held/", held_views.held_list, name="held"),
    path("card.pdf", contact_views.window_card, name="card"),
    path("<uuid:rating>/", views.rating_detail, name="detail"),
    path("<uuid:rating>/callback", views.rating_callback, name="callback"),
    path("<uuid:rating>/exclude", views.rating_exclude_view, name="exclude"),
    path(
        "<uuid:rating>/appeal-reject", views.rating_appeal_reject, name="appeal_reject"
    ),
    path("<uuid:rating>/appeal", contact_views.rating_appeal, name="appeal"),
    path(
        "<uuid:rating>/appeal-decide",
        contact_views.rating_appeal_decide,
        name="appeal_decide",
    ),
    path("<uuid:rating>/reveal", contact_views.rating_reveal, name="reveal"),
    path("<uuid:rating>/visit", contact_views.rating_visit, name="visit"),
]
