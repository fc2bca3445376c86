"""The certificates: of attendance for every checked-in participant, of presentation for every
checked-in presenter of an accepted presentation (naming their presentations). Registered as kinds
(documents/kinds.py) from this app's ready().

Only a participant checked in at the door (registrations' check-in) receives a certificate: an
approved registration says someone was expected, not that they came.
"""

from django.utils.translation import gettext_lazy as _

from documents.enums import DocumentKind
from documents.kinds import KindSpec, Target, holder_language, register_kind, registration_key
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import Workshop

_REGISTRATION_RELATED = ("user", "member_state", "institution", "institution__member_state")


def _attended(workshop: Workshop):
    return Registration.objects.filter(
        workshop=workshop, status=RegistrationStatus.APPROVED, checked_in_at__isnull=False
    ).select_related(*_REGISTRATION_RELATED)


def _target(workshop: Workshop, registration: Registration, facts: tuple[str, ...] = ()) -> Target:
    return Target(
        holder_name=registration.display_name,
        holder_key=registration_key(registration),
        language=holder_language(workshop, registration.user.language),
        registration=registration,
        facts=facts,
    )


def attendance_targets(workshop: Workshop) -> list[Target]:
    """Every checked-in participant, by name. One query."""
    return [_target(workshop, registration) for registration in _attended(workshop).order_by("participant_name", "pk")]


def presenter_targets(workshop: Workshop) -> list[Target]:
    """Every checked-in presenter of an accepted presentation, with the titles they presented. One query."""
    presentations = (
        Presentation.objects.filter(
            workshop=workshop,
            status=PresentationStatus.ACCEPTED,
            presenter__status=RegistrationStatus.APPROVED,
            presenter__checked_in_at__isnull=False,
        )
        .select_related(*(f"presenter__{name}" for name in _REGISTRATION_RELATED))
        .order_by("presenter__participant_name", "presenter_id", "title", "pk")
    )
    titles: dict[int, list[str]] = {}
    presenters: dict[int, Registration] = {}
    for presentation in presentations:
        presenters.setdefault(presentation.presenter_id, presentation.presenter)
        titles.setdefault(presentation.presenter_id, []).append(presentation.title)
    return [_target(workshop, presenters[pk], tuple(titles[pk])) for pk in presenters]


def register() -> None:
    register_kind(
        KindSpec(
            kind=DocumentKind.CERTIFICATE_ATTENDANCE,
            template="documents/pdf/certificate_attendance.html",
            targets=attendance_targets,
            audience=_("For every participant checked in at the workshop."),
        )
    )
    register_kind(
        KindSpec(
            kind=DocumentKind.CERTIFICATE_PRESENTER,
            template="documents/pdf/certificate_presenter.html",
            targets=presenter_targets,
            audience=_("For every participant checked in at the workshop who presented an accepted presentation."),
        )
    )
