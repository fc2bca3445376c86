from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from allauth.account.signals import email_changed

        from communications.privacy import register
        from communications.services import email_send_now
        from workshop_portal.emails import send_now_register

        send_now_register(email_send_now)  # account emails: sent at once, recorded without their secrets
        register()  # this app's part of the personal data registry (workshop_portal.personal_data)
        from communications.unsubscribe import on_email_changed

        # Opt-outs are kept by address: a person who changes theirs keeps their choices.
        email_changed.connect(on_email_changed, dispatch_uid="communications.opt_outs_follow_the_address")
