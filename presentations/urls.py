from django.urls import path

from presentations import views

app_name = "presentations"

urlpatterns = [
    path("registrations/<int:registration_pk>/presentations/new/", views.create, name="create"),
    path("presentations/<int:pk>/", views.detail, name="detail"),
    path("presentations/<int:pk>/edit/", views.edit, name="edit"),
    path("presentations/<int:pk>/upload/", views.upload, name="upload"),
    path("presentations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("presentations/files/<int:pk>/original/", views.download, {"variant": "original"}, name="download"),
    path("presentations/files/<int:pk>/pdf/", views.download, {"variant": "pdf"}, name="download_pdf"),
]
