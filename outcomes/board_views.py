"""The cooperation board's pages: approved participants of the workshop only (404 for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from outcomes.board import (
    board_access,
    board_match_recommend,
    board_page,
    board_post_need,
    board_post_offer,
    board_set_hidden,
)
from outcomes.board_forms import NeedForm, OfferForm
from workshop_portal.models import Workshop


def _workshop_and_access(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    access = board_access(user=request.user, workshop=workshop)
    if access is None:
        raise Http404
    return workshop, access


@login_required
@require_safe
def board(request, slug):
    workshop, access = _workshop_and_access(request, slug)
    page = board_page(workshop=workshop, access=access)
    return render(
        request,
        "outcomes/board.html",
        {"workshop": workshop, "access": access, "page": page, "ours": page.matches_of(access)},
    )


def _post_form(request, slug, form_class, post, refusal):
    workshop, access = _workshop_and_access(request, slug)
    allowed = access.posts_needs if form_class is NeedForm else access.posts_offers
    if not allowed:
        raise PermissionDenied(refusal)
    form = form_class(request.POST or None, instance=form_class._meta.model(workshop=workshop))
    if request.method == "POST" and form.is_valid():
        try:
            post(form.instance, access=access, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post is on the board."))
            return redirect("outcomes:board_index", slug=workshop.slug)
    return render(request, "outcomes/board_post_form.html", {"workshop": workshop, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request, slug):
    return _post_form(
        request,
        slug,
        NeedForm,
        lambda need, **kw: board_post_need(need=need, **kw),
        _("Only the delegates of a Central Asian state post its needs."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request, slug):
    return _post_form(
        request,
        slug,
        OfferForm,
        lambda offer, **kw: board_post_offer(offer=offer, **kw),
        _("Only the delegates of partner member states and institutions post offers."),
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def post_hide(request, slug):
    workshop, access = _workshop_and_access(request, slug)
    if not access.moderates:
        raise PermissionDenied(_("Only the organisers moderate the board."))
    hidden = request.POST.get("hidden") != "0"
    try:
        board_set_hidden(
            workshop=workshop,
            kind=request.POST.get("kind", ""),
            pk=_int(request.POST.get("pk")),
            hidden=hidden,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    return redirect("outcomes:board_index", slug=workshop.slug)


@login_required
@require_POST
def match_recommend(request, slug):
    workshop, access = _workshop_and_access(request, slug)
    if not access.records:
        raise PermissionDenied(_("Only the special session's rapporteur and the organisers record recommendations."))
    try:
        item = board_match_recommend(
            workshop=workshop,
            need_pk=_int(request.POST.get("need")),
            offer_pk=_int(request.POST.get("offer")),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("outcomes:board_index", slug=workshop.slug)
    messages.success(request, _("Recommendation %(number)d is recorded from this match.") % {"number": item.number})
    return redirect("outcomes:recommendation_detail", pk=item.pk)
