from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresentationsConfig(AppConfig):
    name = "presentations"
    verbose_name = _("Presentations")

    def ready(self):
        from presentations.privacy import register

        register()  # this app's part of the privacy registry (workshop_portal.privacy)
