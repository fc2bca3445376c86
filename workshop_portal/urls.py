from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from workshop_portal import health, languages, views

# The admin's own login has no rate limit: send it through allauth's, which has.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    # For load balancers and container health checks: no login, plain HTTP allowed (SECURE_REDIRECT_EXEMPT).
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("workshops/", include("sessions.urls")),
    path("", include("registrations.urls")),
    path("", include("presentations.urls")),
    path("", include("reports.urls")),
    path("delegations/", include("delegations.urls")),
    path("", include("documents.urls")),
    path("", include("outcomes.urls")),
    path("account/data/", include("privacy.urls")),
    path("account/emails/", include("communications.urls")),
    # Django's set_language, which also keeps a signed-in person's choice (workshop_portal.languages).
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
