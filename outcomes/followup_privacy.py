"""What a person left in the follow-up, in the personal data registry (workshop_portal.personal_data).

- Export: the follow-up updates they posted and the recommendations they recorded; the board needs
  and offers they posted or that name their email address as contact point.
- Erasure: the updates stay with their text (the recommendation's history must still read), their
  author becomes anonymous (the role they posted as, e.g. "Focal point of Tajikistan", stays); the
  recommendations they recorded forget who did; their board posts lose the contact point and the author.
- Retention purge of a past workshop: the same for everything of that workshop, whoever posted it.
"""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_models import Recommendation, RecommendationUpdate
from workshop_portal import personal_data
from workshop_portal.dates import format_day
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _updates(user: User) -> QuerySet[RecommendationUpdate]:
    return (
        RecommendationUpdate.objects.filter(posted_by=user)
        .select_related("recommendation__workshop")
        .order_by("recommendation__workshop__start_date", "recommendation__number", "on", "pk")
    )


def _recorded(user: User) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(created_by=user).select_related("workshop").order_by("workshop_id", "number")


def _theirs(user: User) -> Q:
    # The contact point is free text: a colleague may have named the person by their address.
    condition = Q(posted_by=user)
    if user.email:
        condition |= Q(contact__icontains=user.email)
    return condition


def _posts(model, user: User) -> QuerySet:
    return (
        model.objects.filter(_theirs(user))
        .select_related("workshop", "member_state", "institution")
        .order_by("workshop__start_date", "pk")
    )


def _summary(user: User) -> list[SummaryItem]:
    items = [
        SummaryItem(
            title=_("Follow-up of recommendation %(number)s, %(workshop)s")
            % {"number": update.recommendation.number, "workshop": update.recommendation.workshop.title},
            details=[
                (_("Date"), format_day(update.on)),
                (_("Status"), update.get_status_display()),
                (_("Posted as"), update.posted_as),
                (_("Note"), update.note),
            ],
        )
        for update in _updates(user)
    ]
    items += [
        SummaryItem(
            title=_("Recommendation %(number)s recorded, %(workshop)s")
            % {"number": item.number, "workshop": item.workshop.title},
            details=[(_("Recommendation"), item.text)],
        )
        for item in _recorded(user)
    ]
    for model, title in (
        (CooperationNeed, _("Cooperation need, %(workshop)s")),
        (CooperationOffer, _("Cooperation offer, %(workshop)s")),
    ):
        items += [
            SummaryItem(
                title=title % {"workshop": post.workshop.title},
                details=[
                    (_("Sector"), post.get_sector_display()),
                    (_("Contact point"), post.contact),
                    (_("Description"), post.description),
                ],
            )
            for post in _posts(model, user)
        ]
    return items


def _post_data(post, user: User) -> dict:
    return {
        "workshop": post.workshop.slug,
        "party": post.party,
        "sector": post.sector,
        "description": post.description,
        "contact": post.contact,
        "posted_by_you": post.posted_by_id == user.pk,
        "posted_at": post.created_at,
    }


def _export(user: User) -> ExportSection:
    return ExportSection(
        data={
            "follow_up_updates": [
                {
                    "workshop": update.recommendation.workshop.slug,
                    "recommendation": update.recommendation.number,
                    "status": update.status,
                    "on": update.on,
                    "note": update.note,
                    "posted_as": update.posted_as,
                    "posted_at": update.created_at,
                }
                for update in _updates(user)
            ],
            "recommendations_recorded": [
                {"workshop": item.workshop.slug, "number": item.number, "text": item.text} for item in _recorded(user)
            ],
            "cooperation_needs": [_post_data(post, user) for post in _posts(CooperationNeed, user)],
            "cooperation_offers": [
                {**_post_data(post, user), "capacity": post.capacity, "modality": post.modality}
                for post in _posts(CooperationOffer, user)
            ],
        }
    )


def _anonymise(updates, recommendations, needs, offers, cleanup: Cleanup) -> None:
    cleanup.count(
        gettext_lazy("follow-up updates made anonymous"),
        updates.exclude(posted_by=None).update(posted_by=None),
    )
    recommendations.exclude(created_by=None).update(created_by=None)
    for posts in (needs, offers):
        cleanup.count(
            gettext_lazy("contact points of cooperation needs and offers deleted"),
            posts.filter(~Q(contact="") | Q(posted_by__isnull=False)).update(contact="", posted_by=None),
        )


def _erase(user: User, cleanup: Cleanup) -> None:
    _anonymise(
        RecommendationUpdate.objects.filter(posted_by=user),
        Recommendation.objects.filter(created_by=user),
        CooperationNeed.objects.filter(_theirs(user)),
        CooperationOffer.objects.filter(_theirs(user)),
        cleanup,
    )


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    _anonymise(
        RecommendationUpdate.objects.filter(recommendation__workshop=workshop),
        Recommendation.objects.filter(workshop=workshop),
        CooperationNeed.objects.filter(workshop=workshop),
        CooperationOffer.objects.filter(workshop=workshop),
        cleanup,
    )


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="outcomes.followup",
            title=gettext_lazy("Your follow-up of recommendations and your cooperation needs and offers"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You have posted no follow-up update, need or offer."),
        )
    )
