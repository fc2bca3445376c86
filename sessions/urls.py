from django.urls import path

from sessions import views

app_name = "worksessions"

urlpatterns = [
    path("<slug:slug>/", views.workshop_programme, name="programme"),
    path("<slug:slug>/programme.ics", views.workshop_programme_ics, name="programme_ics"),
    path("<slug:slug>/sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
]
