"""The signed-in person's "Your data" pages: what the portal holds, their copy, their erasure request.

Each page is about the person asking and nobody else: there is no id in any of these URLs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from privacy.erasure import erasure_request_create, erasure_request_latest
from privacy.export import personal_data_export, privacy_summary
from privacy.forms import ErasureRequestForm
from privacy.purge import retention_days
from workshop_portal.forms import form_add_service_error


@login_required
@require_safe
@never_cache
def overview(request):
    return render(
        request,
        "privacy/overview.html",
        {
            "sections": privacy_summary(user=request.user),
            "erasure_request": erasure_request_latest(user=request.user),
            "retention_days": retention_days(),
        },
    )


@login_required
@require_POST
def export(request):
    """The person's data as a ZIP attachment, built now and removed as soon as it is open."""
    path = personal_data_export(user=request.user)
    try:
        handle = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the bytes until the response is sent
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def erasure(request):
    """Ask for erasure: a reason if they wish, and a box ticked to confirm."""
    latest = erasure_request_latest(user=request.user)
    open_request = latest if latest is not None and latest.is_open else None
    form = ErasureRequestForm(request.POST) if request.method == "POST" else ErasureRequestForm()
    if request.method == "POST" and form.is_valid():
        try:
            erasure_request_create(user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent to the secretariat. You will be able to sign in "
                    "until they carry it out."
                ),
            )
            return redirect("privacy:overview")
    return render(request, "privacy/erasure.html", {"form": form, "open_request": open_request})
