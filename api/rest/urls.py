from django.urls import path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView

from api.rest import views

urlpatterns = [
    path("v1/workshops/", views.WorkshopList.as_view(), name="api-workshops"),
    path("v1/workshops/<slug:slug>/", views.WorkshopDetail.as_view(), name="api-workshop"),
    path("v1/sessions/", views.SessionList.as_view(), name="api-sessions"),
    path("v1/segments/", views.SegmentList.as_view(), name="api-segments"),
    path("v1/presentations/", views.PresentationList.as_view(), name="api-presentations"),
    path("v1/member-states/", views.MemberStateList.as_view(), name="api-member-states"),
    path("v1/institutions/", views.InstitutionList.as_view(), name="api-institutions"),
    path("v1/registrations/", views.RegistrationList.as_view(), name="api-registrations"),
    path("v1/proceedings-builds/", views.ProceedingsBuildList.as_view(), name="api-proceedings-builds"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", TemplateView.as_view(template_name="api/docs.html"), name="api-docs"),
]
