from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports and proceedings")

    def ready(self):
        from reports.privacy import register

        register()  # this app's part of the privacy registry (workshop_portal.privacy)
