"""Recommendations of the special session and their follow-up: who records, who reports, what trackers read.

The special session's rapporteur and the organisers record the items. After the workshop, the
addressee's focal points (of any workshop of the series) and the organisers post dated updates;
the latest sets the item's status.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import FocalPoint
from outcomes.followup_enums import AddresseeKind, FollowUpStatus
from outcomes.followup_models import Recommendation, RecommendationUpdate, SeriesMembership
from sessions.enums import SessionKind
from sessions.models import WorkingSession
from workshop_portal.models import User, Workshop

RECORD_PERMISSION = "outcomes.add_recommendation"
UPDATE_PERMISSION = "outcomes.add_recommendationupdate"


def user_may_record_recommendations(*, user: User, workshop: Workshop) -> bool:
    """The special session's rapporteur of this workshop, or an organiser."""
    if not user.is_authenticated:
        return False
    if user.has_perm(RECORD_PERMISSION):
        return True
    return WorkingSession.objects.filter(workshop=workshop, kind=SessionKind.SPECIAL, rapporteur=user).exists()


def _series_workshop_ids(workshop_id: int) -> Q:
    # The workshops whose focal points speak for the addressee: this one and those of its series.
    series = SeriesMembership.objects.filter(workshop_id=workshop_id).values("series_id")
    return Q(delegation__workshop_id=workshop_id) | Q(delegation__workshop__series_membership__series_id__in=series)


def _focal_points_for(recommendation: Recommendation) -> QuerySet[FocalPoint] | None:
    """The focal points who speak for the addressee; None for the OIC bodies and all (organisers report on those)."""
    points = FocalPoint.objects.filter(_series_workshop_ids(recommendation.workshop_id))
    if recommendation.addressee_kind == AddresseeKind.MEMBER_STATE:
        return points.filter(delegation__member_state_id=recommendation.member_state_id)
    if recommendation.addressee_kind == AddresseeKind.INSTITUTION:
        return points.filter(delegation__institution_id=recommendation.institution_id)
    return None


def user_may_update_recommendation(*, user: User, recommendation: Recommendation) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm(UPDATE_PERMISSION):
        return True
    points = _focal_points_for(recommendation)
    return points is not None and points.filter(user=user).exists()


def recommendation_numbers_next(workshop: Workshop) -> int:
    return (Recommendation.objects.filter(workshop=workshop).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def recommendation_record(*, recommendation: Recommendation, by: User) -> Recommendation:
    """Record one item of the special session's conclusions; only its rapporteur or an organiser does."""
    workshop = Workshop.objects.select_for_update().get(pk=recommendation.workshop_id)
    if not user_may_record_recommendations(user=by, workshop=workshop):
        raise PermissionDenied(_("Only the special session's rapporteur and the organisers record recommendations."))
    if recommendation.session_id and recommendation.session.workshop_id != workshop.pk:
        raise ValidationError({"session": _("Choose a country session of this workshop.")})
    if recommendation.addressee_kind not in (AddresseeKind.MEMBER_STATE,):
        recommendation.member_state = None
    if recommendation.addressee_kind not in (AddresseeKind.INSTITUTION,):
        recommendation.institution = None
    if not recommendation.number:
        recommendation.number = recommendation_numbers_next(workshop)
    recommendation.created_by = by
    recommendation.full_clean()
    recommendation.save()
    return recommendation


def _posted_as(user: User, recommendation: Recommendation) -> str:
    if user.has_perm(UPDATE_PERMISSION):
        return _("Organisers")
    return _("Focal point of %(addressee)s") % {"addressee": recommendation.addressee}


@transaction.atomic
def recommendation_post_update(
    *, recommendation: Recommendation, status: str, note: str, on: datetime.date | None = None, by: User
) -> RecommendationUpdate:
    """A dated follow-up by the addressee's focal point or an organiser. The latest date sets the item's status."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not user_may_update_recommendation(user=by, recommendation=recommendation):
        raise PermissionDenied(
            _("Only the focal points of %(addressee)s and the organisers follow this up.")
            % {"addressee": recommendation.addressee}
        )
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("Choose one of: agreed, in progress, done, dropped.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("A follow-up reports what has happened: its date cannot be in the future.")})
    update = RecommendationUpdate(
        recommendation=recommendation,
        status=status,
        on=on,
        note=note.strip(),
        posted_by=by,
        posted_as=_posted_as(by, recommendation),
    )
    update.full_clean()
    update.save()
    latest = recommendation.updates.order_by("-on", "-pk").first()
    recommendation.status, recommendation.status_on = latest.status, latest.on
    recommendation.save(update_fields=["status", "status_on"])
    return update


def recommendations_of(workshops) -> QuerySet[Recommendation]:
    """The items of these workshops with what a list shows, in a fixed number of queries."""
    return (
        Recommendation.objects.filter(workshop__in=workshops)
        .select_related("workshop", "member_state", "institution", "session__country")
        .order_by("workshop__start_date", "workshop_id", "number", "pk")
    )


def recommendations_addressed_to(*, user: User) -> QuerySet[Recommendation]:
    """The items a focal point follows up: addressed to their state or institution, in workshops of their series."""
    points = FocalPoint.objects.filter(user=user).values_list(
        "delegation__workshop_id", "delegation__member_state_id", "delegation__institution_id"
    )
    condition = Q(pk__in=[])
    for workshop_id, state_id, institution_id in points:
        series = SeriesMembership.objects.filter(workshop_id=workshop_id).values("series_id")
        in_series = Q(workshop_id=workshop_id) | Q(workshop__series_membership__series_id__in=series)
        if state_id:
            condition |= in_series & Q(member_state_id=state_id)
        if institution_id:
            condition |= in_series & Q(institution_id=institution_id)
    return recommendations_of(Workshop.objects.all()).filter(condition)


def recommendations_proceedings_chapter(workshop: Workshop, language: str) -> dict | None:
    """The proceedings' "Recommendations" chapter: the items, their addressees and their latest status."""
    items = list(recommendations_of([workshop]))
    if not items:
        return None
    return {
        "title": _("Recommendations"),
        "paragraphs": [_("The recommendations of the special session, with their follow-up status when compiled.")],
        "tables": [
            {
                "caption": "",
                "header": [_("No."), _("Recommendation"), _("Addressed to"), _("Priority"), _("Status")],
                "rows": [
                    [item.number, item.text, item.addressee, item.get_priority_display(), item.get_status_display()]
                    for item in items
                ],
            }
        ],
    }
