"""The rapporteurs as an audience of a message (registrations.audiences): registered from ready()."""

from django.utils.translation import gettext_lazy as _

from communications.messages import AudienceMember
from registrations.audiences import AudienceGroup, add_audience_group
from sessions.models import WorkingSession
from workshop_portal.models import User


def rapporteurs(workshop, spec):
    sessions = WorkingSession.objects.filter(workshop=workshop, rapporteur__isnull=False)
    if spec.session:
        sessions = sessions.filter(pk=spec.session)
    rows = sessions.order_by("order", "pk").values_list(
        "rapporteur_id", "rapporteur__email", "rapporteur__language", "rapporteur__first_name", "rapporteur__last_name"
    )
    default = User().email_language
    return [
        AudienceMember(
            address=email,
            language=language or default,
            user_id=user_id,
            first_name=first_name,
            full_name=f"{first_name} {last_name}".strip(),
        )
        for user_id, email, language, first_name, last_name in rows
    ]


def register() -> None:
    add_audience_group(
        AudienceGroup(
            "rapporteurs", _("Rapporteurs (of the chosen session, or all)"), people=rapporteurs, per_session=True
        )
    )
