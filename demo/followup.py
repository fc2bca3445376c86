"""The demo's outcomes of the 2012 workshop: its recommendations followed up since (some updates by
the focal points), the cooperation board of its participants with matches by sector, and the next
workshop of the series prepared from it by cloning.

The series holds the 2012 workshop, the open follow-up workshop (whose focal points, designated in
demo/delegations.py, thereby speak for their state's items of 2012) and the prepared clone, dated
after the open one so that the open workshop's special session shows the 2012 items beside its own.
Each part is made once: running the seed again leaves what exists alone.
"""

import datetime

from delegations.models import FocalPoint
from outcomes.board import board_access, board_match_recommend, board_post_need, board_post_offer
from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_enums import AddresseeKind, FollowUpStatus, Priority
from outcomes.followup_models import Recommendation, WorkshopSeries
from outcomes.recommendations import recommendation_post_update, recommendation_record
from outcomes.series import series_add_workshop, workshop_clone
from registrations.enums import RegistrationStatus
from sessions.enums import SessionKind
from sessions.models import WorkingSession
from workshop_portal.models import Institution, MemberState, User, Workshop

SERIES_SLUG = "oic-central-asia"
SERIES_NAME = "Technical cooperation between OIC member states and Central Asia"
NEXT_SLUG = "oic-central-asia-next"
NEXT_TITLE = "Workshop on Technical Cooperation between OIC Member States and Central Asia, next edition (demo)"

ORGANISERS, FOCAL_POINT = "organisers", "focal point"
S = FollowUpStatus

# (addressed to: a state's code, an institution's acronym or AddresseeKind.OIC_BODIES; the country
# session it comes from; priority; text; updates: (day, status, who posts it, what happened)).
RECOMMENDATIONS = (
    (
        "TJ",
        "TJ",
        Priority.HIGH,
        "Set up, with partner states' technical universities, a vocational training centre for irrigation "
        "engineers in Tajikistan.",
        (
            (datetime.date(2012, 5, 14), S.AGREED, ORGANISERS, "Tajikistan named a coordinator for the centre."),
            (
                datetime.date(2012, 11, 20),
                S.IN_PROGRESS,
                FOCAL_POINT,
                "Curriculum agreed with two partner universities; the first 25 trainees start in September 2013.",
            ),
        ),
    ),
    (
        "KZ",
        "KZ",
        Priority.MEDIUM,
        "Kazakhstan to share with the other Central Asian states how it set up its development assistance agency.",
        (
            (datetime.date(2012, 9, 3), S.IN_PROGRESS, ORGANISERS, "A first exchange of experts met in Astana."),
            (datetime.date(2013, 1, 28), S.DONE, ORGANISERS, "The guide is published in Russian and English."),
        ),
    ),
    (
        "SESRIC",
        "",
        Priority.HIGH,
        "SESRIC to run a statistical capacity-building programme for the national statistical offices of the "
        "five Central Asian states.",
        ((datetime.date(2012, 12, 10), S.DONE, ORGANISERS, "Four courses held in Ankara and Almaty, 61 trainees."),),
    ),
    (
        "UZ",
        "UZ",
        Priority.LOW,
        "Uzbekistan to host a study tour on cotton processing for the partner states' agencies.",
        ((datetime.date(2012, 7, 2), S.DROPPED, ORGANISERS, "Postponed at Uzbekistan's request; to propose again."),),
    ),
    (
        AddresseeKind.OIC_BODIES,
        "",
        Priority.MEDIUM,
        "Keep a shared register of the technical cooperation programmes with Central Asia, updated before each "
        "workshop.",
        (),
    ),
)

# (participant of 2012, need or offer, sector, description, modality, capacity)
BOARD = (
    ("Farrukh Rahimov", "need", "water", "Training for irrigation engineers in water-saving techniques.", "", ""),
    ("Bakyt Osmonov", "need", "energy", "Funding for small hydropower plants in remote valleys.", "", ""),
    ("Mehmet Yılmaz", "offer", "water", "Courses on drip irrigation at our regional centre.", "training", "20 a year"),
    ("Abdulaziz Khan", "offer", "energy", "Concessional loans for renewable energy projects.", "funding", "2 projects"),
    (
        "Nurul Hidayah Ismail",
        "offer",
        "health",
        "Experts in hospital management for short missions.",
        "expert_visit",
        "3 experts a year",
    ),
)
# The match of the board the organisers made a recommendation: Tajikistan's need, Türkiye's offer.
MATCH = ("Farrukh Rahimov", "Mehmet Yılmaz")
MATCH_UPDATE = (
    datetime.date(2012, 10, 15),
    S.IN_PROGRESS,
    "First drip irrigation course held in Ankara for 12 engineers from Tajikistan.",
)


def demo_series_seed(workshop: Workshop, upcoming: Workshop) -> WorkshopSeries:
    series, _created = WorkshopSeries.objects.get_or_create(slug=SERIES_SLUG, defaults={"name": SERIES_NAME})
    for member in (workshop, upcoming):
        series_add_workshop(series=series, workshop=member)
    return series


def _participants(workshop: Workshop) -> dict:
    return {
        r.participant_name: r
        for r in workshop.registrations.filter(status=RegistrationStatus.APPROVED).select_related("user")
    }


def demo_board_seed(workshop: Workshop) -> None:
    """Needs and offers posted by the 2012 participants themselves, through the board's services."""
    if CooperationNeed.objects.filter(workshop=workshop).exists():
        return
    people = _participants(workshop)
    for name, kind, sector, description, modality, capacity in BOARD:
        registration = people[name]
        access = board_access(user=registration.user, workshop=workshop)
        contact = f"{registration.participant_name}, {registration.position}, {registration.email}"
        if kind == "need":
            need = CooperationNeed(workshop=workshop, sector=sector, description=description, contact=contact)
            board_post_need(need=need, access=access, by=registration.user)
        else:
            offer = CooperationOffer(
                workshop=workshop,
                sector=sector,
                description=description,
                contact=contact,
                modality=modality,
                capacity=capacity,
            )
            board_post_offer(offer=offer, access=access, by=registration.user)


def _focal_point_of(series_workshops, code: str) -> User:
    return (
        FocalPoint.objects.filter(
            delegation__workshop__in=series_workshops, delegation__member_state__code=code, user__isnull=False
        )
        .select_related("user")
        .first()
        .user
    )


def demo_recommendations_seed(workshop: Workshop, upcoming: Workshop, *, organiser: User) -> None:
    """The special session's items, recorded by its rapporteur, and their follow-up since."""
    if Recommendation.objects.filter(workshop=workshop).exists():
        return
    special = WorkingSession.objects.get(workshop=workshop, kind=SessionKind.SPECIAL)
    rapporteur = special.rapporteur or organiser
    sessions = {
        s.country.code.code: s
        for s in WorkingSession.objects.filter(workshop=workshop, kind=SessionKind.COUNTRY).select_related("country")
    }
    states = {state.code.code: state for state in MemberState.objects.all()}
    for addressee, session_code, priority, text, updates in RECOMMENDATIONS:
        item = Recommendation(workshop=workshop, text=text, priority=priority, session=sessions.get(session_code))
        if addressee in states:
            item.addressee_kind, item.member_state = AddresseeKind.MEMBER_STATE, states[addressee]
        elif addressee == AddresseeKind.OIC_BODIES:
            item.addressee_kind = AddresseeKind.OIC_BODIES
        else:
            item.addressee_kind = AddresseeKind.INSTITUTION
            item.institution = Institution.objects.get(acronym=addressee)
        item = recommendation_record(recommendation=item, by=rapporteur)
        for on, status, who, note in updates:
            by = _focal_point_of([workshop, upcoming], addressee) if who == FOCAL_POINT else organiser
            recommendation_post_update(recommendation=item, status=status, note=note, on=on, by=by)
    # A match of the board, made a recommendation to the offering state, followed up by its focal point.
    people = _participants(workshop)
    need = CooperationNeed.objects.get(workshop=workshop, posted_by=people[MATCH[0]].user)
    offer = CooperationOffer.objects.get(workshop=workshop, posted_by=people[MATCH[1]].user)
    item = board_match_recommend(workshop=workshop, need_pk=need.pk, offer_pk=offer.pk, by=rapporteur)
    on, status, note = MATCH_UPDATE
    by = _focal_point_of([workshop, upcoming], offer.member_state.code.code)
    recommendation_post_update(recommendation=item, status=status, note=note, on=on, by=by)


def demo_next_workshop_seed(workshop: Workshop, upcoming: Workshop, *, organiser: User) -> Workshop:
    """ "Prepare the next workshop" on the 2012 one: a draft a year after the open workshop, same weekday."""
    prepared = Workshop.objects.filter(slug=NEXT_SLUG).first()
    if prepared is not None:
        return prepared
    start = upcoming.start_date + datetime.timedelta(weeks=52)
    return workshop_clone(source=workshop, title=NEXT_TITLE, slug=NEXT_SLUG, start_date=start, by=organiser)


def demo_followup_seed(workshop: Workshop, upcoming: Workshop, *, organiser: User) -> Workshop:
    """The series, the board, the recommendations and the prepared next workshop (returned)."""
    demo_series_seed(workshop, upcoming)
    demo_board_seed(workshop)
    demo_recommendations_seed(workshop, upcoming, organiser=organiser)
    return demo_next_workshop_seed(workshop, upcoming, organiser=organiser)
