from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.problems, name="problems"),
    path("report/", views.report, name="report"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    path("improvements/", views.improvements, name="improvements"),
    path("improvements/new/", views.improvement_create, name="improvement_create"),
    path("improvements/<uuid:improvement>/", views.improvement, name="improvement"),
    path(
        "improvements/<uuid:improvement>/measures/",
        views.task_add,
        name="task_add",
    ),
    path(
        "improvements/<uuid:improvement>/measures/<uuid:task>/done/",
        views.task_done,
        name="task_done",
    ),
    path(
        "improvements/<uuid:improvement>/advance/",
        views.improvement_advance,
        name="improvement_advance",
    ),
    path(
        "improvements/<uuid:improvement>/standardize/",
        views.improvement_standardize,
        name="improvement_standardize",
    ),
    path("practices/", views.practices, name="practices"),
    path("practices/new/", views.practice_create, name="practice_create"),
    path("practices/<uuid:practice>/", views.practice, name="practice"),
    path(
        "practices/<uuid:practice>/review/",
        views.practice_review,
        name="practice_review",
    ),
    path(
        "practices/<uuid:practice>/adopt/", views.practice_adopt, name="practice_adopt"
    ),
    path(
        "practices/<uuid:practice>/promote/",
        views.practice_promote,
        name="practice_promote",
    ),
    path("<uuid:problem>/", views.problem, name="problem"),
    path("<uuid:problem>/start/", views.problem_start, name="problem_start"),
    path("<uuid:problem>/submit/", views.problem_submit, name="problem_submit"),
    path("<uuid:problem>/return/", views.problem_return, name="problem_return"),
    path("<uuid:problem>/verify/", views.problem_verify, name="problem_verify"),
    path("<uuid:problem>/deadline/", views.problem_deadline, name="problem_deadline"),
]
