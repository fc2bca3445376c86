from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopPortalConfig(AppConfig):
    name = "workshop_portal"
    verbose_name = _("Workshops and member states")

    def ready(self):
        from workshop_portal import page_cache
        from workshop_portal.privacy import register

        register()  # the account's part of the personal data registry (workshop_portal.personal_data)
        # The cached pages (workshop_portal/page_cache.py) are renewed by any save of what they show;
        # each app above declares its own records in its page_cache.py.
        page_cache.register()
