"""The emails a delegate receives when their registration changes (workshop_portal/emails.py)."""

from django.urls import reverse

from communications.services import email_queue_to
from registrations.enums import RegistrationNotice
from registrations.models import Registration
from workshop_portal.emails import portal_url


def registration_email_send(
    *, registration: Registration, notice: RegistrationNotice, dedupe_key: str | None = None
) -> None:
    """Queued in the outbox in the delegate's own language (their account's choice, else the
    portal's default), with links on the portal's public address, from a worker as from a web
    process. `dedupe_key`: the same notice is queued once (the task's id: a task delivered again)."""
    workshop = registration.workshop
    email_queue_to(
        to=registration.email or registration.user.email,
        language=registration.user.email_language,
        user=registration.user,
        workshop=workshop,
        dedupe_key=dedupe_key,
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
    )
