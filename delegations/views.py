"""A focal point's pages: their delegations, one delegation, and the invitation that makes them one.

A delegation's page admits its focal points and the organisers and secretariat (who see
delegations); anyone else gets a 404, a focal point of another state included.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from delegations.models import FocalPoint
from delegations.selectors import DelegationPage, delegation_get_for, delegations_of_focal_point
from delegations.services import focal_point_accept
from delegations.signals import PENDING_INVITATIONS


@login_required
@require_safe
def index(request):
    return render(request, "delegations/index.html", {"delegations": delegations_of_focal_point(user=request.user)})


@login_required
@require_safe
def detail(request, pk):
    delegation = delegation_get_for(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    return render(request, "delegations/detail.html", {"page": DelegationPage.of(delegation)})


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link of an invitation email. Signed out: sign up or sign in first (the link survives
    both: `next`, and the session, which takes the invitation up at sign-in). Signed in: accept."""
    focal_point = (
        FocalPoint.objects.select_related("delegation__workshop", "delegation__member_state", "delegation__institution")
        .filter(token=token)
        .first()
    )
    if focal_point is None:
        raise Http404
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_with_next("account_login", request.path))
        pending = request.session.get(PENDING_INVITATIONS, [])
        if token not in pending:
            request.session[PENDING_INVITATIONS] = [*pending, token]
        return render(
            request,
            "delegations/invitation.html",
            {
                "focal_point": focal_point,
                "signup_url": _with_next("account_signup", request.path),
                "login_url": _with_next("account_login", request.path),
            },
        )
    if request.method == "POST":
        try:
            focal_point = focal_point_accept(token=token, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("delegations:index")
        messages.success(
            request, _("You are now a focal point of %(delegation)s.") % {"delegation": focal_point.delegation.name}
        )
        return redirect(focal_point.delegation)
    return render(request, "delegations/invitation.html", {"focal_point": focal_point})


def _with_next(url_name: str, location: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': location})}"
