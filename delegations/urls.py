from django.urls import path

from delegations import views

app_name = "delegations"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
