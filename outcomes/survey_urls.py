from django.urls import path

from outcomes import survey_views

survey_urlpatterns = [
    path("workshops/<slug:slug>/surveys/", survey_views.survey_mine, name="survey_mine"),
    path("workshops/<slug:slug>/surveys/<int:pk>/", survey_views.survey_answer_page, name="survey_answer"),
    path("workshops/<slug:slug>/surveys/<int:pk>/results/", survey_views.survey_results_page, name="survey_results"),
    path(
        "workshops/<slug:slug>/surveys/<int:pk>/results.csv", survey_views.survey_results_csv, name="survey_results_csv"
    ),
    path(
        "workshops/<slug:slug>/surveys/<int:pk>/results.xlsx",
        survey_views.survey_results_xlsx,
        name="survey_results_xlsx",
    ),
]
