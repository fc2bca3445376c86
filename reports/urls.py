from django.urls import path

from reports import proceedings_views, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.my_sessions, name="my_sessions"),
    path("reports/sessions/<int:session_pk>/", views.report_edit, name="report_edit"),
    path("workshops/<slug:slug>/proceedings/", proceedings_views.builds, name="builds"),
    path("workshops/<slug:slug>/proceedings/build/", proceedings_views.build_start, name="build_start"),
    path("workshops/<slug:slug>/proceedings/published/", proceedings_views.published_page, name="published_page"),
    # The web edition (what participants read first) and the print edition of the published build.
    path("workshops/<slug:slug>/proceedings.pdf", proceedings_views.published, name="published"),
    path("workshops/<slug:slug>/proceedings-print.pdf", proceedings_views.published_print, name="published_print"),
    path("proceedings/builds/<int:pk>/status/", proceedings_views.build_status, name="build_status"),
    path("proceedings/builds/<int:pk>/download/", proceedings_views.build_download, name="build_download"),
    path(
        "proceedings/builds/<int:pk>/download/web/",
        proceedings_views.build_download,
        {"edition": "web"},
        name="build_download_web",
    ),
    path("proceedings/builds/<int:pk>/publish/", proceedings_views.build_publish, name="build_publish"),
]
