from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopPortalConfig(AppConfig):
    name = "workshop_portal"
    verbose_name = _("Workshops and member states")

    def ready(self):
        from workshop_portal.page_cache import connect_signals
        from workshop_portal.privacy import register_account_provider

        register_account_provider()
        # The cached pages (workshop_portal/page_cache.py) are renewed by any save of what they show.
        connect_signals()
