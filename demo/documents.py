"""The demo's certificates: most of the Ankara workshop's approved delegates checked in at the door,
and their certificates of attendance and of presentation issued by a batch each (with its ZIP), so
the demo has documents to download, a staff page with batches and a verification link to follow.
The invitation letters of the delegations and the visa letters of the two visa requests likewise."""

from documents.batches import document_batch_request, document_batch_run
from documents.enums import DocumentKind
from documents.kinds import kind_spec
from documents.models import IssuedDocument
from registrations.enums import RegistrationStatus
from registrations.services import registration_check_in
from workshop_portal.models import User, Workshop

# Every sixth approved delegate (by name) did not come: no certificate for them.
ABSENT_EVERY = 6


def demo_documents_seed(workshop: Workshop, *, organiser: User, delegate_email: str) -> IssuedDocument | None:
    """Check in the delegates who came, issue their certificates; the demo delegate's certificate."""
    if not IssuedDocument.objects.filter(workshop=workshop).exists():
        approved = workshop.registrations.filter(status=RegistrationStatus.APPROVED).order_by("pk")
        for index, registration in enumerate(approved):
            came = index % ABSENT_EVERY != ABSENT_EVERY - 1 or registration.user.email == delegate_email
            if came and registration.checked_in_at is None:
                registration_check_in(registration=registration, by=organiser)
        for kind in (DocumentKind.CERTIFICATE_ATTENDANCE, DocumentKind.CERTIFICATE_PRESENTER):
            # Run here, in the seed's own process; the message sent after commit finds it done.
            batch = document_batch_request(workshop=workshop, kind=kind, by=organiser)
            document_batch_run(batch=batch, task_id="seed_demo")
    return (
        IssuedDocument.objects.current()
        .filter(workshop=workshop, kind=DocumentKind.CERTIFICATE_ATTENDANCE, registration__user__email=delegate_email)
        .first()
    )


def demo_letter_documents_seed(workshop: Workshop, upcoming: Workshop, *, organiser: User) -> None:
    """The visa letters of the Ankara workshop's visa requests, and the invitation letters of the open
    workshop's delegations (its focal points find theirs on their delegation's page), once each, by a
    batch run here: the visa letters due after the seed commits find theirs made. The past workshop's
    invitation letters are left to its staff page's button (some 80 letters: 8 seconds of seeding)."""
    for on, kind in ((workshop, DocumentKind.VISA_LETTER), (upcoming, DocumentKind.INVITATION_LETTER)):
        if IssuedDocument.objects.filter(workshop=on, kind=kind).exists() or not kind_spec(kind).targets(on):
            continue
        batch = document_batch_request(workshop=on, kind=kind, by=organiser)
        document_batch_run(batch=batch, task_id="seed_demo")
