"""The demo's delegations: focal points for some states of the open workshop, and a nomination.

Kazakhstan has none: the demo's delegate journey (and a visitor trying the portal) registers for it
and goes straight to the secretariat; a Tajik or Turkish self-registration waits for its focal point."""

from delegations.models import Delegation, FocalPoint
from delegations.services import focal_point_designate, nomination_create
from registrations.enums import DelegationRole
from workshop_portal.models import User, Workshop

# (state, focal point's email, first name, last name, with an account): the others are invited only.
DEMO_FOCAL_POINTS = (
    ("TJ", "focal.tj@demo.example.org", "Farrukh", "Saidov", True),
    ("TR", "focal.tr@demo.example.org", "Emre", "Aydın", True),
    ("UZ", "focal.uz@demo.example.org", "Jasur", "Karimov", False),
)
# (state, name, email, role): nominated by the state's focal point.
DEMO_NOMINATIONS = (("TJ", "Мадина Рахимова", "madina.rakhimova@demo.example.org", DelegationRole.EXPERT),)


def demo_delegations_seed(workshop: Workshop, *, organiser: User, make_user) -> list[str]:
    """Designate the focal points (once; no email leaves) and their nominations. Returns the
    addresses of the focal points who can sign in."""
    delegations = {
        d.member_state.code.code: d
        for d in Delegation.objects.filter(workshop=workshop, member_state__isnull=False).select_related("member_state")
    }
    logins = []
    for code, email, first_name, last_name, has_account in DEMO_FOCAL_POINTS:
        if has_account:
            make_user(email, first_name, last_name)
            logins.append(email)
        delegation = delegations[code]
        if not FocalPoint.objects.filter(delegation=delegation, email=email).exists():
            focal_point_designate(
                delegation=delegation, email=email, name=f"{first_name} {last_name}", by=organiser, notify=False
            )
    for code, name, email, role in DEMO_NOMINATIONS:
        delegation = delegations[code]
        if not delegation.nominations.filter(email=email).exists():
            focal = FocalPoint.objects.filter(delegation=delegation, user__isnull=False).select_related("user").first()
            nomination_create(
                delegation=delegation, name=name, email=email, role=role, language="ru", by=focal.user, notify=False
            )
    return logins
