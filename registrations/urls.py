from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("workshops/<slug:slug>/register/", views.register, name="register"),
    path("workshops/<slug:slug>/participants/", views.participants, name="participants"),
    path("workshops/<slug:slug>/participants.pdf", views.participants_pdf, name="participants_pdf"),
    path("workshops/<slug:slug>/badges/", views.badges, name="badges"),
    path("registrations/<int:pk>/", views.detail, name="detail"),
    path("registrations/<int:pk>/edit/", views.edit, name="edit"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("badges/<int:pk>/download/", views.badge_download, name="badge_download"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
]
