from django.urls import path

from . import views

app_name = "setup"
urlpatterns = [
    path("", views.first_run, name="first_run"),
    path("load/", views.load, name="load"),
    path("publish/", views.publish, name="publish"),
]
