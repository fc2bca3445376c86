from outcomes.survey_urls import survey_urlpatterns

app_name = "outcomes"

urlpatterns = [*survey_urlpatterns]
