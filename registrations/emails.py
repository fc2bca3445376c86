"""The emails a delegate receives when their registration changes, rendered from templates."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from registrations.enums import RegistrationNotice
from registrations.models import Registration


def registration_email_send(*, registration: Registration, notice: RegistrationNotice) -> None:
    """Sent in the delegate's own language (their account's choice, else the portal's default)."""
    with translation.override(registration.user.email_language):
        _send(registration, notice)


def _send(registration: Registration, notice: RegistrationNotice) -> None:
    workshop = registration.workshop
    context = {
        "registration": registration,
        "workshop": workshop,
        "notice": notice,
        "dashboard_url": settings.PORTAL_BASE_URL + reverse("registrations:dashboard"),
        "registration_url": settings.PORTAL_BASE_URL + registration.get_absolute_url(),
        "workshop_url": settings.PORTAL_BASE_URL + workshop.get_absolute_url(),
    }
    # Translators: an email's subject, e.g. "Registration approved: <workshop title>".
    subject = _("%(notice)s: %(title)s") % {"notice": notice.label, "title": workshop.title}
    body = render_to_string(f"registrations/email/{notice.value}.txt", context)
    EmailMessage(subject=subject, body=body, to=[registration.email or registration.user.email]).send()
