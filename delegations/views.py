"""A focal point's pages: their delegations, one delegation, and the invitation that makes them one.

A delegation's page admits its focal points and the organisers and secretariat (who see
delegations); anyone else gets a 404, a focal point of another state included.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from delegations.enums import VISA_REQUEST_CLOSED, VisaRequestStatus
from delegations.forms import NominationForm, NomineeRegistrationForm, VisaLetterRequestForm
from delegations.models import FocalPoint, Nomination
from delegations.selectors import (
    DelegationPage,
    delegation_get_for,
    delegation_of_focal_point,
    delegations_of_focal_point,
)
from delegations.services import (
    delegation_of,
    focal_point_accept,
    nomination_check_open,
    nomination_create,
    nomination_for_token,
    nomination_prefill,
    nomination_register,
    nomination_replace,
    registration_endorse_by,
)
from delegations.signals import PENDING_INVITATIONS
from delegations.visa import visa_request_of, visa_request_save, visa_request_withdraw
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from registrations.selectors import registration_get_own, registrations_of_user
from registrations.services import RegistrationExistsError
from workshop_portal.forms import form_add_service_error


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
    page = DelegationPage.of(delegation, user=request.user)
    return render(request, "delegations/detail.html", {"page": page})


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


def _own_delegation(request, pk):
    """The delegation, for one of its focal points only (organisers use the admin); else a 404."""
    delegation = delegation_of_focal_point(user=request.user, pk=pk)
    if delegation is None:
        raise Http404
    return delegation


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk):
    delegation = _own_delegation(request, pk)
    form = NominationForm(request.POST or None, initial={"language": request.user.email_language})
    if request.method == "POST" and form.is_valid():
        try:
            nomination_create(delegation=delegation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nominated; we have sent them an invitation to register.")
                % {"name": form.cleaned_data["name"]},
            )
            return redirect(delegation)
    return render(request, "delegations/nomination_form.html", {"delegation": delegation, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def replace(request, pk):
    nomination = get_object_or_404(Nomination.objects.select_related("delegation"), pk=pk)
    delegation = _own_delegation(request, nomination.delegation_id)
    form = NominationForm(
        request.POST or None,
        initial={"language": request.user.email_language, "role": nomination.role},
        submit_label=_("Replace"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination_replace(nomination=nomination, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(new)s replaces %(old)s; we have sent them an invitation to register.")
                % {"new": form.cleaned_data["name"], "old": nomination.name},
            )
            return redirect(delegation)
    return render(
        request,
        "delegations/nomination_form.html",
        {"delegation": delegation, "form": form, "replaced": nomination},
    )


@login_required
@require_POST
def endorse(request, pk):
    """A focal point endorses (or refuses) a self-registration of their delegation."""
    registration = get_object_or_404(Registration, pk=pk)
    delegation = delegation_of(registration)
    if delegation is None or delegation_of_focal_point(user=request.user, pk=delegation.pk) is None:
        raise Http404
    endorse = request.POST.get("decision") != "refuse"
    try:
        registration_endorse_by(registration=registration, by=request.user, endorse=endorse)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        text = (
            _("%(name)s is endorsed: the organisers will review the registration.")
            if endorse
            else _("%(name)s's registration is declined.")
        )
        messages.success(request, text % {"name": registration.participant_name})
    return redirect(delegation)


@require_http_methods(["GET", "POST"])
def nomination(request, token):
    """The nominee's link: sign up or in first (the link survives both through `next`), then the
    registration form with the delegation's state and category filled in and locked."""
    nomination = nomination_for_token(token)
    if nomination is None:
        raise Http404
    delegation = nomination.delegation
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(_with_next("account_login", request.path))
        context = {
            "nomination": nomination,
            "signup_url": _with_next("account_signup", request.path),
            "login_url": _with_next("account_login", request.path),
        }
        return render(request, "delegations/nomination_welcome.html", context)
    try:
        nomination_check_open(nomination=nomination, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("registrations:dashboard")
    registration = nomination_prefill(nomination, Registration(user=request.user))
    form = NomineeRegistrationForm(
        request.POST or None,
        instance=registration,
        delegation=delegation,
        initial={"email": nomination.email, "participant_name": nomination.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = nomination_register(nomination=nomination, registration=form.instance, by=request.user)
        except RegistrationExistsError as exists:
            messages.info(request, exists.messages[0])
            return redirect(exists.registration)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you: your registration is submitted. We have sent you a confirmation by email.")
            )
            return redirect(registration)
    return render(
        request,
        "registrations/registration_form.html",
        {"workshop": delegation.workshop, "form": form, "nomination": nomination},
    )


# Visa support letters: the delegate's own request, seen by no one else on the site (the
# organisers read it in the admin). Anyone but the delegate gets a 404.


def _own_registration(request, pk) -> Registration:
    registration = registration_get_own(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    return registration


@sensitive_post_parameters("passport_name", "nationality", "passport_number", "passport_expiry")
@login_required
@require_http_methods(["GET", "POST"])
def visa_request(request, pk):
    # With what the apps show with a registration: its current visa letter is among its documents.
    registration = registrations_of_user(user=request.user).filter(pk=pk).first()
    if registration is None:
        raise Http404
    if registration.status != RegistrationStatus.APPROVED:
        messages.info(request, _("A visa support letter can be requested once your registration is approved."))
        return redirect(registration)
    current = visa_request_of(registration)
    form = VisaLetterRequestForm(
        request.POST or None,
        instance=current,
        submit_label=_("Save changes") if current and current.status not in VISA_REQUEST_CLOSED else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visa_request_save(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your request is saved: your visa support letter is being prepared."),
            )
            return redirect("delegations:visa_request", pk=registration.pk)
    # Saved, its letter not yet made (the worker issues it within moments of the save): say so.
    preparing = current is not None and current.status == VisaRequestStatus.REQUESTED
    context = {"registration": registration, "visa_request": current, "form": form, "preparing": preparing}
    return render(request, "delegations/visa_request.html", context)


@login_required
@require_POST
def visa_withdraw(request, pk):
    registration = _own_registration(request, pk)
    current = visa_request_of(registration)
    if current is None:
        raise Http404
    try:
        visa_request_withdraw(visa_request=current, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your request for a visa support letter is withdrawn."))
    return redirect("delegations:visa_request", pk=registration.pk)
