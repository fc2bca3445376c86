from django.urls import path

from reports import proceedings_views, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.my_sessions, name="my_sessions"),
    path("reports/sessions/<int:session_pk>/", views.report_edit, name="report_edit"),
    path("workshops/<slug:slug>/proceedings/", proceedings_views.builds, name="builds"),
    path("workshops/<slug:slug>/proceedings/build/", proceedings_views.build_start, name="build_start"),
    path("workshops/<slug:slug>/proceedings.pdf", proceedings_views.published, name="published"),
    path("proceedings/builds/<int:pk>/status/", proceedings_views.build_status, name="build_status"),
    path("proceedings/builds/<int:pk>/download/", proceedings_views.build_download, name="build_download"),
    path("proceedings/builds/<int:pk>/publish/", proceedings_views.build_publish, name="build_publish"),
]
