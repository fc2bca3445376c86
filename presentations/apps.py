from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresentationsConfig(AppConfig):
    name = "presentations"
    verbose_name = _("Presentations")

    def ready(self):
        import jobs
        from presentations import page_cache, selectors
        from presentations.conversion_jobs import CONVERSION
        from presentations.privacy import register
        from registrations.selectors import add_registration_contents
        from sessions.selectors import add_segment_contents

        jobs.register(CONVERSION)  # restarted and re-sent by the one watchdog (jobs/watchdog.py)
        page_cache.register()  # which pages a change of this app's records renews
        # What the lower apps' pages show of this one: the programme, a person's registrations.
        add_segment_contents(selectors.programme_presentations)
        add_registration_contents(selectors.registration_presentations)
        from presentations import audiences

        audiences.register()  # its people as audiences of messages (registrations.audiences)
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
