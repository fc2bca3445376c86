"""Objects the follow-up tests share: a workshop with a special session and its rapporteur, a series, focal points."""

import datetime

from django.core.files.base import ContentFile

from delegations.letter_models import LetterSettings
from delegations.letter_services import letters_lay_out_defaults
from delegations.models import Delegation, FocalPoint
from outcomes.followup_enums import AddresseeKind
from outcomes.followup_models import Recommendation, WorkshopSeries
from outcomes.recommendations import recommendation_record
from outcomes.series import series_add_workshop
from testkit.factories import WorkshopFactory, member_state, special_session, staff_user, verified_user
from workshop_portal.roles import ORGANISERS


def workshop_in_series(slug="series-a", *, days_ago=200, **fields):
    start = datetime.date.today() - datetime.timedelta(days=days_ago)
    workshop = WorkshopFactory(start_date=start, end_date=start + datetime.timedelta(days=1), **fields)
    series, _created = WorkshopSeries.objects.get_or_create(slug=slug, defaults={"name": "Central Asia series"})
    series_add_workshop(series=series, workshop=workshop)
    return workshop


def focal_point(workshop, code: str, email: str) -> FocalPoint:
    state = member_state(code)
    delegation, _created = Delegation.objects.get_or_create(
        workshop=workshop,
        member_state=state,
        defaults={"category": "central_asian_state" if state.is_central_asian else "oic_partner_state", "seats": 2},
    )
    return FocalPoint.objects.create(delegation=delegation, email=email, user=verified_user(email))


def organiser(email="organiser@example.org"):
    return staff_user(email, ORGANISERS)


def recorded(workshop, code="TJ", *, by, text="Set up a joint training centre.", **fields) -> Recommendation:
    return recommendation_record(
        recommendation=Recommendation(
            workshop=workshop,
            text=text,
            addressee_kind=AddresseeKind.MEMBER_STATE,
            member_state=member_state(code),
            **fields,
        ),
        by=by,
    )


def rapporteur_of_special_session(workshop, email="special-rapporteur@example.org"):
    user = verified_user(email)
    special_session(workshop, rapporteur=user)
    return user


def workshop_with_letter_pictures() -> tuple:
    """A workshop whose letter settings have a letterhead and a signature (what a clone copies), and those settings."""
    workshop = WorkshopFactory()
    letters_lay_out_defaults(workshop=workshop)
    letters = LetterSettings.objects.get(workshop=workshop)
    letters.letterhead.save("head.png", ContentFile(b"letterhead picture"), save=False)
    letters.signature.save("signature.png", ContentFile(b"signature picture"), save=False)
    letters.save()
    return workshop, letters
