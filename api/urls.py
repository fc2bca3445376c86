from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("workshops/<slug:slug>/schedule.xml", views.schedule_xml_feed, name="schedule_xml"),
    path("workshops/<slug:slug>/schedule.json", views.schedule_json_feed, name="schedule_json"),
]
