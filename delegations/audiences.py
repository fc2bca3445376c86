"""The focal points as an audience of a message (registrations.audiences): registered from ready()."""

from django.utils.translation import gettext_lazy as _

from communications.messages import AudienceMember
from delegations.models import FocalPoint
from registrations.audiences import AudienceGroup, add_audience_group
from workshop_portal.models import User


def focal_points(workshop, spec):
    points = FocalPoint.objects.filter(delegation__workshop=workshop)
    if spec.member_states:
        points = points.filter(delegation__member_state_id__in=spec.member_states)
    rows = points.order_by("email", "pk").values_list(
        "email", "name", "language", "user_id", "user__email", "user__language", "user__first_name", "user__last_name"
    )
    default = User().email_language
    members = []
    for email, name, language, user_id, account_email, account_language, first_name, last_name in rows:
        full_name = f"{first_name or ''} {last_name or ''}".strip() or name
        members.append(
            AudienceMember(
                address=account_email or email,
                # An account's own choice, else the language the organisers gave the invitation.
                language=account_language or language or default,
                user_id=user_id,
                first_name=first_name or (full_name.split()[0] if full_name.split() else ""),
                full_name=full_name,
            )
        )
    return members


def register() -> None:
    add_audience_group(
        AudienceGroup("focal_points", _("Focal points (of the chosen member states, or all)"), people=focal_points)
    )
