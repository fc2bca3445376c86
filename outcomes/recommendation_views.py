"""Pages of the recommendations: recording them, following them up, the public tracker of a series."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from outcomes.followup_enums import STATUS_BADGE
from outcomes.followup_models import Recommendation, WorkshopSeries
from outcomes.recommendation_forms import RecommendationForm, RecommendationUpdateForm
from outcomes.recommendations import (
    recommendation_post_update,
    recommendation_record,
    recommendations_addressed_to,
    recommendations_of,
    user_may_record_recommendations,
    user_may_update_recommendation,
)
from outcomes.series import series_previous_workshop, series_workshops
from workshop_portal.models import Workshop


def _with_badges(items):
    for item in items:
        item.badge = STATUS_BADGE.get(item.status, "pending")
    return items


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_manage(request, slug):
    """The special session's rapporteur or an organiser records the workshop's recommendations."""
    workshop = get_object_or_404(Workshop, slug=slug)
    if not user_may_record_recommendations(user=request.user, workshop=workshop):
        raise PermissionDenied(_("Only the special session's rapporteur and the organisers record recommendations."))
    form = RecommendationForm(request.POST or None, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            item = recommendation_record(recommendation=form.instance, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recommendation %(number)d is recorded.") % {"number": item.number})
            return redirect("outcomes:recommendation_manage", slug=workshop.slug)
    items = _with_badges(list(recommendations_of([workshop])))
    return render(request, "outcomes/recommendation_manage.html", {"workshop": workshop, "items": items, "form": form})


def _visible(request, recommendation: Recommendation) -> bool:
    return recommendation.workshop.is_published or request.user.has_perm("outcomes.view_recommendation")


@require_safe
def recommendation_detail(request, pk):
    """An item and its follow-up history: public, as the tracker is."""
    item = get_object_or_404(recommendations_of(Workshop.objects.all()), pk=pk)
    if not _visible(request, item):
        raise Http404
    updates = list(item.updates.select_related("posted_by").order_by("-on", "-pk"))
    may_update = user_may_update_recommendation(user=request.user, recommendation=item)
    _with_badges([item])
    return render(
        request, "outcomes/recommendation_detail.html", {"item": item, "updates": updates, "may_update": may_update}
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_update(request, pk):
    """The addressee's focal point or an organiser posts a dated update; anyone else is told who may."""
    item = get_object_or_404(recommendations_of(Workshop.objects.all()), pk=pk)
    if not user_may_update_recommendation(user=request.user, recommendation=item):
        raise PermissionDenied(
            _("Only the focal points of %(addressee)s and the organisers follow this recommendation up.")
            % {"addressee": item.addressee}
        )
    form = RecommendationUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_post_update(recommendation=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your update is posted."))
            return redirect("outcomes:recommendation_detail", pk=item.pk)
    return render(request, "outcomes/recommendation_update.html", {"item": item, "form": form})


@login_required
@require_safe
def recommendation_mine(request):
    """The items a focal point follows up."""
    items = _with_badges(list(recommendations_addressed_to(user=request.user)))
    return render(request, "outcomes/recommendation_mine.html", {"items": items})


@require_safe
def series_tracker(request, slug):
    """The public tracker of a series: each workshop's items with their latest status."""
    series = get_object_or_404(WorkshopSeries, slug=slug)
    workshops = [w for w in series_workshops(series) if w.is_published]
    items = _with_badges(list(recommendations_of(workshops)))
    by_workshop = [(w, [i for i in items if i.workshop_id == w.pk]) for w in workshops]
    return render(request, "outcomes/series_tracker.html", {"series": series, "by_workshop": by_workshop})


def special_session_recommendations_panel(*, session, request) -> str:
    """On the special session's report page: the previous workshop's items and their status beside this one's."""
    workshop = session.workshop
    previous = series_previous_workshop(workshop)
    items = _with_badges(list(recommendations_of([w for w in (previous, workshop) if w is not None])))
    return render_to_string(
        "outcomes/_special_session_panel.html",
        {
            "workshop": workshop,
            "previous": previous,
            "previous_items": [i for i in items if previous and i.workshop_id == previous.pk],
            "items": [i for i in items if i.workshop_id == workshop.pk],
            "may_record": user_may_record_recommendations(user=request.user, workshop=workshop),
        },
        request=request,
    )
