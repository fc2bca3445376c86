"""The signed-in person's own data: /account/data/."""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("erasure/", views.erasure, name="erasure"),
]
