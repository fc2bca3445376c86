"""The follow-up's pages (recommendations, series, the cooperation board), included by outcomes/urls.py."""

from django.urls import path

from outcomes import board_views, recommendation_views

followup_urlpatterns = [
    path(
        "workshops/<slug:slug>/recommendations/",
        recommendation_views.recommendation_manage,
        name="recommendation_manage",
    ),
    path("recommendations/mine/", recommendation_views.recommendation_mine, name="recommendation_mine"),
    path("recommendations/<int:pk>/", recommendation_views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/update/", recommendation_views.recommendation_update, name="recommendation_update"),
    path("series/<slug:slug>/", recommendation_views.series_tracker, name="series_tracker"),
    path("workshops/<slug:slug>/board/", board_views.board, name="board_index"),
    path("workshops/<slug:slug>/board/needs/new/", board_views.need_create, name="board_need_create"),
    path("workshops/<slug:slug>/board/offers/new/", board_views.offer_create, name="board_offer_create"),
    path("workshops/<slug:slug>/board/hide/", board_views.post_hide, name="board_hide"),
    path("workshops/<slug:slug>/board/recommend/", board_views.match_recommend, name="board_recommend"),
]
