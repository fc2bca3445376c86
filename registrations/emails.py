"""The emails a delegate receives when their registration changes (workshop_portal/emails.py)."""

from django.urls import reverse

from registrations.enums import RegistrationNotice
from registrations.models import Registration
from workshop_portal.emails import portal_email, portal_url


def registration_email_send(*, registration: Registration, notice: RegistrationNotice) -> None:
    """Sent in the delegate's own language (their account's choice, else the portal's default),
    with links on the portal's public address, from a worker as from a web process."""
    workshop = registration.workshop
    portal_email(
        to=[registration.email or registration.user.email],
        language=registration.user.email_language,
        template=f"registrations/email/{notice.value}",
        subject_template="registrations/email/notice_subject.txt",
        context={
            "registration": registration,
            "workshop": workshop,
            "notice": notice,
            "dashboard_url": portal_url(reverse("registrations:dashboard")),
            "registration_url": portal_url(registration.get_absolute_url()),
            "workshop_url": portal_url(workshop.get_absolute_url()),
        },
    ).send()
