from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("unsubscribe/<str:signed_token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/", views.preferences, name="preferences"),
]
