from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Feeds and API")

    def ready(self):
        from api.privacy import register

        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
