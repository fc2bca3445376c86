from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        import jobs
        from registrations import page_cache
        from registrations.badges import BADGES
        from registrations.privacy import register

        jobs.register(BADGES)  # restarted or failed by the one watchdog (jobs/watchdog.py)
        page_cache.register()  # which pages a change of this app's records renews
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
