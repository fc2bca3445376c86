from django.contrib import admin
from django.urls import include, path

from workshop_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("workshops/", include("sessions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
