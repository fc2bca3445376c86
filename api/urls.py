from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("workshops/<slug:slug>/schedule.xml", views.schedule_xml_feed, name="schedule_xml"),
    path("workshops/<slug:slug>/schedule.json", views.schedule_json_feed, name="schedule_json"),
    path("calendar/<str:secret>.ics", views.personal_feed, name="personal_feed"),
    path("account/feeds/", views.account, name="account"),
    path("account/feeds/calendar/reset/", views.feed_reset, name="feed_reset"),
    path("account/feeds/tokens/", views.token_create, name="token_create"),
    path("account/feeds/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
