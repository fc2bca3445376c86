from outcomes.followup_urls import followup_urlpatterns

app_name = "outcomes"

urlpatterns = [
    *followup_urlpatterns,
]
