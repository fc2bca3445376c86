from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("workshops/<slug:slug>/documents/", views.workshop_documents, name="workshop"),
    path("workshops/<slug:slug>/documents/generate/", views.batch_start, name="batch_start"),
    path("documents/batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("documents/batches/<int:pk>/download/", views.batch_download, name="batch_download"),
]
