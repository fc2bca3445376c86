"""The presenter's pages (create, edit, upload, withdraw) and the protected file download.

A presenter sees only their own presentations (anyone else's is a 404); downloads are checked
by `presentation_file_may_download`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from presentations.enums import ConversionStatus, FileKind
from presentations.forms import PresentationForm, UploadForm
from presentations.models import Presentation, PresentationFile
from presentations.rules import segments_open_to
from presentations.selectors import presentation_file_may_download, presentation_get_own, workshop_segments
from presentations.services import (
    presentation_accept_upload,
    presentation_create,
    presentation_update,
    presentation_withdraw,
)
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshop_portal.downloads import protected_file_response
from workshop_portal.forms import form_add_service_error

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _own(request, pk) -> Presentation:
    presentation = presentation_get_own(user=request.user, pk=pk)
    if presentation is None:
        raise Http404
    return presentation


@login_required
@require_http_methods(["GET", "POST"])
def create(request, registration_pk):
    """An approved delegate proposes a presentation in a segment open to them."""
    registration = get_object_or_404(
        Registration.objects.select_related("workshop", "member_state", "institution__member_state"),
        pk=registration_pk,
        user=request.user,
    )
    if registration.status != RegistrationStatus.APPROVED:
        messages.error(request, _("You can add a presentation once your registration is approved."))
        return redirect("registrations:dashboard")
    segments = segments_open_to(
        presenter=registration, segments=workshop_segments(workshop_id=registration.workshop_id)
    )
    presentation = Presentation(presenter=registration)
    form = PresentationForm(request.POST or None, instance=presentation, segments=segments)
    if request.method == "POST" and form.is_valid():
        try:
            presentation = presentation_create(presentation=form.instance, by=request.user)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your presentation is saved. Now upload its file."))
            return redirect(presentation)
    return render(
        request,
        "presentations/presentation_form.html",
        {"form": form, "registration": registration, "workshop": registration.workshop, "segments": segments},
    )


@login_required
@require_safe
def detail(request, pk):
    presentation = _own(request, pk)
    return render(
        request,
        "presentations/presentation_detail.html",
        {
            "presentation": presentation,
            "versions": list(presentation.files.all()),
            "upload_form": UploadForm(max_bytes=settings.PRESENTATION_MAX_UPLOAD_BYTES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    presentation = _own(request, pk)
    segments = segments_open_to(
        presenter=presentation.presenter, segments=workshop_segments(workshop_id=presentation.workshop_id)
    )
    form = PresentationForm(
        request.POST or None, instance=presentation, segments=segments, submit_label=_("Save changes")
    )
    if request.method == "POST" and form.is_valid():
        try:
            presentation_update(presentation=form.instance, by=request.user)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(presentation)
    return render(
        request,
        "presentations/presentation_form.html",
        {"form": form, "presentation": presentation, "workshop": presentation.workshop, "segments": segments},
    )


@login_required
@require_http_methods(["POST"])
def upload(request, pk):
    """A new version of the presentation's file. Refused files leave nothing behind."""
    presentation = _own(request, pk)
    form = UploadForm(
        request.POST,
        request.FILES,
        max_bytes=settings.PRESENTATION_MAX_UPLOAD_BYTES,
        upload_too_large=getattr(request, "upload_too_large", False),
    )
    if form.is_valid():
        try:
            version = presentation_accept_upload(
                presentation=presentation, uploaded_file=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            version.refresh_from_db()  # the conversion may have been queued, or run inline, since
            if version.conversion_waits_for_service:
                messages.warning(
                    request,
                    _(
                        "Version %(version)d is uploaded and kept. The conversion service cannot be reached "
                        "just now; the conversion to PDF starts on its own as soon as it is back."
                    )
                    % {"version": version.version},
                )
            elif version.conversion_status in (ConversionStatus.PENDING, ConversionStatus.CONVERTING):
                messages.success(
                    request,
                    _("Version %(version)d is uploaded; it is being converted to PDF for the proceedings.")
                    % {"version": version.version},
                )
            else:
                messages.success(request, _("Version %(version)d is uploaded.") % {"version": version.version})
            return redirect(presentation)
    presentation = _own(request, pk)
    return render(
        request,
        "presentations/presentation_detail.html",
        {"presentation": presentation, "versions": list(presentation.files.all()), "upload_form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    presentation = _own(request, pk)
    if request.method == "POST":
        try:
            presentation_withdraw(presentation=presentation, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Your presentation is withdrawn."))
        return redirect(presentation)
    return render(request, "presentations/presentation_withdraw.html", {"presentation": presentation})


@login_required
@require_safe
def download(request, pk, variant):
    """A file of a presentation: the stored (neutralised) upload, or the PDF the proceedings use."""
    version = get_object_or_404(
        PresentationFile.objects.select_related("presentation__presenter", "presentation__workshop"), pk=pk
    )
    if not presentation_file_may_download(user=request.user, version=version):
        raise Http404
    if not version.neutralised:
        raise Http404  # stored before neutralising existed: withheld until rewritten (stored_files.py)
    stem = f"{version.presentation.workshop.slug}-{version.presentation_id}-v{version.version}"
    if variant == "pdf":
        pdf = version.pdf_file
        if pdf is None:
            raise Http404
        return protected_file_response(pdf, filename=f"{stem}.pdf", content_type="application/pdf")
    return protected_file_response(
        version.file, filename=f"{stem}.{version.kind}", content_type=CONTENT_TYPES[FileKind(version.kind)]
    )
