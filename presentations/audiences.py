"""The presenters as audiences of a message (registrations.audiences): registered from ready()."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from presentations.enums import ACTIVE_STATUSES
from presentations.models import Presentation, PresentationFile
from registrations.audiences import AudienceGroup, add_audience_group


def _presentations(workshop, spec):
    presentations = Presentation.objects.filter(
        workshop=workshop, presenter_id=OuterRef("pk"), status__in=ACTIVE_STATUSES
    )
    if spec.session:
        presentations = presentations.filter(segment__session_id=spec.session)
    return presentations


def presenters(registrations, workshop, spec):
    return registrations.filter(Exists(_presentations(workshop, spec)))


def presenters_without_file(registrations, workshop, spec):
    files = PresentationFile.objects.filter(presentation_id=OuterRef("pk"))
    return registrations.filter(Exists(_presentations(workshop, spec).filter(~Exists(files))))


def register() -> None:
    add_audience_group(
        AudienceGroup(
            "presenters", _("Presenters (of the chosen session, or all)"), narrow=presenters, per_session=True
        )
    )
    add_audience_group(
        AudienceGroup(
            "presenters_without_file",
            _("Presenters who have not uploaded a file yet"),
            narrow=presenters_without_file,
            per_session=True,
        )
    )
