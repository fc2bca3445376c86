from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkingSessionsConfig(AppConfig):
    # The label `sessions` belongs to django.contrib.sessions; the folder keeps its short name.
    name = "sessions"
    label = "worksessions"
    verbose_name = _("Working sessions")

    def ready(self):
        # The programme's cached section and ICS change when anything they show is saved.
        from sessions.caching import connect_signals

        connect_signals()
