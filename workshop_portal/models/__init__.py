"""The shared domain: people, member states, institutions and workshops.

Every app points at these models: a delegation, a session's country and a presentation's
presenting state are all a `MemberState`. `from workshop_portal.models import ...` is the import
path for all of them (migrations name `workshop_portal.models.language_choices` and
`time_zone_choices` too).
"""

from workshop_portal.models.erasure import ErasureRequest
from workshop_portal.models.members import (
    INSTITUTION_NAME_FIELDS,
    TRANSLATED_NAME_LANGUAGES,
    Institution,
    MemberState,
    MemberStateQuerySet,
    institution_link,
    member_state_link,
    member_state_name,
)
from workshop_portal.models.users import User, UserManager, language_choices
from workshop_portal.models.workshops import Workshop, WorkshopQuerySet, time_zone_choices

__all__ = [
    "INSTITUTION_NAME_FIELDS",
    "TRANSLATED_NAME_LANGUAGES",
    "ErasureRequest",
    "Institution",
    "MemberState",
    "MemberStateQuerySet",
    "User",
    "UserManager",
    "Workshop",
    "WorkshopQuerySet",
    "institution_link",
    "language_choices",
    "member_state_link",
    "member_state_name",
    "time_zone_choices",
]
