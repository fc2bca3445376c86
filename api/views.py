from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from api.calendar import personal_calendar
from api.feeds import conditional_feed
from api.forms import ApiTokenForm
from api.models import ApiToken, CalendarFeed
from api.schedule import ScheduleContext, schedule_json, schedule_xml
from api.selectors import personal_presentations, personal_workshops, schedule_items, schedule_last_modified
from api.services import (
    TokenLimitReachedError,
    api_token_create,
    api_token_revoke,
    calendar_feed_get_or_create,
    calendar_feed_reset,
)
from workshop_portal.selectors import workshop_get_published_cached


def _schedule_feed(request, slug, *, name, content_type, build):
    workshop = workshop_get_published_cached(slug=slug)

    def render():
        last_modified = schedule_last_modified(workshop=workshop)
        context = ScheduleContext(
            workshop=workshop,
            programme_url=request.build_absolute_uri(workshop.get_absolute_url()),
            base_url=request.build_absolute_uri("/"),
            version=last_modified.strftime("%Y-%m-%d %H:%M:%S"),
        )
        return build(schedule_items(workshop=workshop), context), last_modified

    return conditional_feed(
        request, workshop=workshop, name=name, content_type=content_type, render=render,
        filename=f"{workshop.slug}-schedule.{name}",
    )  # fmt: skip


@require_safe
def schedule_xml_feed(request, slug):
    """Public: the programme as Frab XML."""
    return _schedule_feed(request, slug, name="xml", content_type="application/xml; charset=utf-8", build=schedule_xml)


@require_safe
def schedule_json_feed(request, slug):
    """Public: the programme as c3voc schedule JSON."""
    return _schedule_feed(request, slug, name="json", content_type="application/json", build=schedule_json)


@require_safe
def personal_feed(request, secret):
    """The secret address is the authority (a calendar app cannot sign in): anyone who has it reads
    that person's calendar; after a reset, 404."""
    feed = CalendarFeed.objects.select_related("user").filter(secret=secret, user__is_active=True).first()
    if feed is None:
        raise Http404
    body = personal_calendar(
        workshops=personal_workshops(user=feed.user),
        presentations=personal_presentations(user=feed.user),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _account_page(request, *, form=None, new_token: str | None = None, status: int = 200):
    feed = calendar_feed_get_or_create(user=request.user)
    context = {
        "feed_url": request.build_absolute_uri(reverse("api:personal_feed", args=[feed.secret])),
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk"),
        "form": form or ApiTokenForm(),
        "new_token": new_token,
    }
    response = render(request, "api/account.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def account(request):
    """The signed-in person's calendar feed and API tokens."""
    return _account_page(request)


@login_required
@require_POST
def feed_reset(request):
    calendar_feed_reset(user=request.user)
    messages.success(request, _("Your calendar feed has a new address. The old one no longer works."))
    return redirect("api:account")


@login_required
@require_POST
def token_create(request):
    """A new token, shown once in this very response (never stored: only its SHA-256 is)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form=form, status=400)
    try:
        _token, raw = api_token_create(
            user=request.user, name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"] or None
        )
    except TokenLimitReachedError:
        form.add_error(None, _("You have too many tokens in use. Revoke one you no longer need first."))
        return _account_page(request, form=form, status=400)
    return _account_page(request, new_token=raw)


@login_required
@require_POST
def token_revoke(request, pk):
    if not api_token_revoke(user=request.user, pk=pk):
        raise Http404  # not theirs, or already revoked
    messages.success(request, _("The token is revoked: it no longer opens the API."))
    return redirect("api:account")
