from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from communications.privacy import register
        from communications.services import email_send_now
        from workshop_portal.emails import send_now_register

        send_now_register(email_send_now)  # account emails: sent at once, recorded without their secrets
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
