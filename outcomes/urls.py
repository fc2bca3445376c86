from outcomes.followup_urls import followup_urlpatterns
from outcomes.survey_urls import survey_urlpatterns

app_name = "outcomes"

urlpatterns = [*survey_urlpatterns, *followup_urlpatterns]
