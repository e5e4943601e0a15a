from django.urls import path

from . import otp_views, session_views, views

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
    path("two-factor/", otp_views.otp_settings, name="otp_settings"),
    path("two-factor/enrol/", otp_views.otp_enrol, name="otp_enrol"),
    path("two-factor/verify/", otp_views.otp_verify, name="otp_verify"),
    path("two-factor/codes/", otp_views.otp_codes_new, name="otp_codes_new"),
    path(
        "people/<uuid:person>/two-factor/reset/",
        otp_views.otp_reset,
        name="otp_reset",
    ),
]
