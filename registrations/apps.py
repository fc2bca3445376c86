from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from registrations.privacy import register

        register()  # this app's part of the privacy registry (workshop_portal.privacy)
