from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Consent, a person's copy of their data, erasure and the retention purge.

    What each app holds on a person is in that app's privacy.py, registered in
    workshop_portal.personal_data from its own AppConfig.ready(); this app reads that registry.
    """

    name = "privacy"
    verbose_name = _("Privacy")
