from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit import privacy, signals

        signals.connect()  # every admin change on the portal's models, and every change of a role
        privacy.register()  # names and addresses in events are pseudonymised on erasure and purge
