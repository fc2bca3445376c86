"""Delegate pages (dashboard, register, edit, cancel), the participant list, badges and check-in.

Each view says whom it admits: the delegate (their own registration only, anyone else gets a
404), approved participants of the workshop, or a permission held by the organiser or
secretariat role.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registrations.badges import badge_batch_request
from registrations.enums import RegistrationStatus
from registrations.forms import RegistrationForm
from registrations.models import BadgeBatch, Registration
from registrations.selectors import (
    Dashboard,
    ParticipantListing,
    participant_list,
    participant_list_access,
    registration_get_own,
)
from registrations.services import (
    RegistrationExistsError,
    registration_cancel,
    registration_check_in,
    registration_locked_fields,
    registration_submit,
    registration_update,
)
from registrations.staff_dashboard import StaffDashboard
from workshop_portal.dates import format_datetime_with_zone
from workshop_portal.downloads import protected_file_response
from workshop_portal.forms import form_add_service_error
from workshop_portal.models import Workshop
from workshop_portal.page_cache import (
    ALL,
    PROCEEDINGS,
    WORKSHOPS,
    Fragment,
    page_key,
    person_scope,
    workshop_scope,
)
from workshop_portal.pdf import html_to_pdf
from workshop_portal.selectors import workshop_get_published_cached


def _published_workshop(slug: str) -> Workshop:
    return get_object_or_404(Workshop.objects.published().select_related("host_institution"), slug=slug)


def _own_registration(request, pk: int) -> Registration:
    registration = registration_get_own(user=request.user, pk=pk)
    if registration is None:
        raise Http404
    return registration


@login_required
@require_safe
def dashboard(request):
    """The delegate's own registrations, and the workshops still open to them."""
    user = request.user
    dashboard = Dashboard(user)
    section = Fragment(
        page_key("dashboard", user.pk), (person_scope(user.pk), WORKSHOPS, ALL), valid_until=dashboard.valid_until
    )
    context = {"dashboard": dashboard, "dashboard_section": section}
    if user.is_staff:  # the secretariat and organisers (their roles make them staff): the workshops they run
        staff = StaffDashboard(user)
        context["staff"] = staff
        context["staff_section"] = Fragment(
            page_key("dashboard-staff", user.pk), (WORKSHOPS, PROCEEDINGS, ALL), valid_until=staff.valid_until
        )
    return render(request, "registrations/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    """A signed-in person registers for a published workshop while registration is open."""
    workshop = _published_workshop(slug)
    existing = Registration.objects.filter(workshop=workshop, user=request.user).first()
    if existing is not None:
        messages.info(request, _("You have already registered for this workshop."))
        return redirect(existing)
    if not workshop.is_registration_open():
        return render(request, "registrations/registration_closed.html", {"workshop": workshop}, status=403)
    registration = Registration(workshop=workshop, user=request.user)
    if request.method == "POST":
        form = RegistrationForm(request.POST, instance=registration)
        if form.is_valid():
            try:
                with transaction.atomic():  # the registration and the answers to the workshop's questions
                    registration = registration_submit(registration=form.instance, by=request.user)
                    form.save_extensions(registration)
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
    else:
        form = RegistrationForm(
            instance=registration,
            initial={"email": request.user.email, "participant_name": request.user.get_full_name()},
        )
    return render(request, "registrations/registration_form.html", {"workshop": workshop, "form": form})


@login_required
@require_safe
def detail(request, pk):
    """The delegate's own registration."""
    registration = _own_registration(request, pk)
    return render(request, "registrations/registration_detail.html", {"registration": registration})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The delegate edits their registration while it is still submitted."""
    registration = _own_registration(request, pk)
    if not registration.is_editable_by_delegate:
        messages.error(
            request,
            _("This registration is %(status)s and can no longer be edited; contact the secretariat.")
            % {"status": registration.get_status_display().lower()},
        )
        return redirect(registration)
    form = RegistrationForm(request.POST or None, instance=registration, submit_label=_("Save changes"))
    for name in registration_locked_fields(registration):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                registration_update(registration=form.instance, by=request.user)
                form.save_extensions(registration)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(registration)
    return render(
        request,
        "registrations/registration_form.html",
        {"workshop": registration.workshop, "form": form, "registration": registration},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """The delegate withdraws, after confirming."""
    registration = _own_registration(request, pk)
    if request.method == "POST":
        try:
            registration_cancel(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your registration is cancelled. We have sent you a confirmation by email."))
        return redirect("registrations:dashboard")
    if not registration.is_cancellable_by_delegate:
        messages.info(
            request,
            _("This registration is already %(status)s.") % {"status": registration.get_status_display().lower()},
        )
        return redirect(registration)
    return render(request, "registrations/registration_cancel.html", {"registration": registration})


@login_required
@require_safe
def participants(request, slug):
    """The list of participants: for the workshop's approved participants, organisers and secretariat."""
    workshop = workshop_get_published_cached(slug=slug)
    access = participant_list_access(user=request.user, workshop=workshop)
    if not access.may_see:
        raise PermissionDenied(_("The list of participants is open to the workshop's approved participants."))
    return render(
        request,
        "registrations/participant_list.html",
        {
            "workshop": workshop,
            "listing": ParticipantListing(workshop),
            "listing_section": Fragment(page_key("participants", workshop.pk), (workshop_scope(workshop.pk), ALL)),
            "can_download": access.can_download,
        },
    )


@login_required
@permission_required("registrations.download_participant_list", raise_exception=True)
@require_safe
def participants_pdf(request, slug):
    """The list of participants as a PDF: secretariat and organisers."""
    workshop = _published_workshop(slug)
    groups = participant_list(workshop=workshop)
    html = render_to_string(
        "registrations/pdf/participant_list.html",
        {"workshop": workshop, "groups": groups, "total": sum(g.size for g in groups), "generated_at": timezone.now()},
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-participants.pdf"'
    return response


@login_required
@permission_required("registrations.add_badgebatch", raise_exception=True)
@require_http_methods(["GET", "POST"])
def badges(request, slug):
    """Organisers: request a PDF of badges for the approved delegates, and download it when ready."""
    workshop = get_object_or_404(Workshop, slug=slug)
    if request.method == "POST":
        _batch, created = badge_batch_request(workshop=workshop, by=request.user)
        if created:
            messages.success(request, _("The badges are being prepared; this page refreshes until they are ready."))
        else:
            messages.info(request, _("Badges are already being prepared for this workshop."))
        return redirect("registrations:badges", slug=workshop.slug)
    batches = list(BadgeBatch.objects.filter(workshop=workshop).select_related("requested_by")[:20])
    approved = Registration.objects.approved().filter(workshop=workshop).count()
    return render(
        request,
        "registrations/badge_list.html",
        {
            "workshop": workshop,
            "batches": batches,
            "approved_count": approved,
            "refresh": any(b.is_pending for b in batches),
        },
    )


@login_required
@permission_required("registrations.view_badgebatch", raise_exception=True)
@require_safe
def badge_download(request, pk):
    batch = get_object_or_404(BadgeBatch.objects.select_related("workshop"), pk=pk)
    if not batch.file:
        raise Http404
    return protected_file_response(
        batch.file, filename=f"{batch.workshop.slug}-badges-{batch.pk}.pdf", content_type="application/pdf"
    )


@login_required
@permission_required("registrations.check_in_registration", raise_exception=True)
@require_http_methods(["GET", "POST"])
def check_in(request, token):
    """Organisers at the door: the badge's QR code opens this page; the button marks the arrival."""
    registration = get_object_or_404(
        Registration.objects.select_related("workshop", "member_state", "institution"), badge_token=token
    )
    if request.method == "POST":
        try:
            registration, already = registration_check_in(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if already:
                arrived = format_datetime_with_zone(registration.checked_in_at, registration.workshop.time_zone)
                messages.warning(request, _("Already checked in: %(time)s.") % {"time": arrived})
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration.display_name})
        return redirect("registrations:check_in", token=token)
    return render(
        request,
        "registrations/check_in.html",
        {"registration": registration, "is_approved": registration.status == RegistrationStatus.APPROVED},
    )
