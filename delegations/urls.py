from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/replace/", views.replace, name="replace"),
    path("nominations/invitation/<str:token>/", views.nomination, name="nomination"),
    path("registrations/<int:pk>/endorse/", views.endorse, name="endorse"),
    path("registrations/<int:pk>/visa-letter/", views.visa_request, name="visa_request"),
    path("registrations/<int:pk>/visa-letter/withdraw/", views.visa_withdraw, name="visa_withdraw"),
]
