"""The signed-in person's own data: /account/data/."""

from django.urls import path

from workshop_portal import privacy_views

app_name = "privacy"

urlpatterns = [
    path("", privacy_views.overview, name="overview"),
    path("export/", privacy_views.export, name="export"),
    path("erasure/", privacy_views.erasure, name="erasure"),
]
