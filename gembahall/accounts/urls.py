from django.urls import path

from . import session_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("sessions/", session_views.my_sessions, name="sessions"),
    path(
        "sessions/<uuid:session>/end/",
        session_views.my_session_end,
        name="session_end",
    ),
]
