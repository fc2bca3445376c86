from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingSessionsConfig(AppConfig):
    # The label `sessions` belongs to django.contrib.sessions; the folder keeps its short name.
    name = "sessions"
    label = "worksessions"
    verbose_name = _("Working sessions")

    def ready(self):
        from sessions import page_cache

        page_cache.register()  # which pages a change of this app's records renews
