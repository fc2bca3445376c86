"""The secretariat's proceedings page: start a build, watch it, download it, publish it.

Builds are for the organisers and the secretariat (permissions `reports.build_proceedings`,
`reports.view_proceedingsbuild`, `reports.publish_proceedings`); the published build is also
open to the workshop's approved participants.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobs import job_status
from registrations.selectors import user_is_approved_participant
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.assembly import PRINT, WEB
from reports.proceedings.build_job import PROCEEDINGS_JOB
from reports.proceedings.pipeline import proceedings_watchdog
from reports.proceedings.services import proceedings_publish, proceedings_request_build
from workshop_portal.downloads import protected_file_response
from workshop_portal.models import Workshop


@login_required
@permission_required("reports.view_proceedingsbuild", raise_exception=True)
@require_safe
def builds(request, slug):
    workshop = get_object_or_404(Workshop.objects.select_related("host_institution"), slug=slug)
    # Without a scheduler, looking at the page is enough to notice a build that stopped.
    proceedings_watchdog()
    build_list = list(ProceedingsBuild.objects.filter(workshop=workshop).select_related("requested_by")[:20])
    return render(
        request,
        "reports/proceedings_builds.html",
        {
            "workshop": workshop,
            "builds": build_list,
            "pending": next((b for b in build_list if b.is_pending), None),
            "languages": settings.LANGUAGES,
            "current_language": translation.get_language(),
            "can_build": request.user.has_perm("reports.build_proceedings"),
            "can_publish": request.user.has_perm("reports.publish_proceedings"),
        },
    )


@login_required
@permission_required("reports.build_proceedings", raise_exception=True)
@require_POST
def build_start(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    language = request.POST.get("language") or translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    result = proceedings_request_build(workshop=workshop, by=request.user, language=language)
    if result.outcome == "queued":
        result.build.refresh_from_db()
        if result.build.status == BuildStatus.READY:
            # Without a broker the build ran inline, within this request.
            messages.success(request, _("Build %(number)d is ready.") % {"number": result.build.pk})
        else:
            messages.success(request, _("The build has started. Follow its progress below."))
    elif result.outcome == "already_running":
        messages.info(request, _("A build is already under way: build %(number)d.") % {"number": result.build.pk})
    else:
        messages.info(
            request,
            _("Nothing has changed since build %(number)d, which is ready: download it below.")
            % {"number": result.build.pk},
        )
    return redirect("reports:builds", slug=workshop.slug)


@login_required
@permission_required("reports.view_proceedingsbuild", raise_exception=True)
@require_safe
def build_status(request, pk):
    build = get_object_or_404(ProceedingsBuild, pk=pk)
    status = job_status(PROCEEDINGS_JOB, build)  # what static/js/build-progress.js reads
    return JsonResponse(
        {
            "status": status["status"],
            "status_label": build.get_status_display(),
            "done": status["done"],
            "total": status["total"],
            "percent": status["percent"] or 0,
            "label": status["label"],
            "finished": not status["pending"],
        }
    )


def _may_download(user, build: ProceedingsBuild) -> bool:
    if user.has_perm("reports.view_proceedingsbuild"):
        return True
    return build.is_published and user_is_approved_participant(user=user, workshop=build.workshop)


@login_required
@require_safe
def build_download(request, pk, edition=PRINT):
    build = get_object_or_404(ProceedingsBuild.objects.select_related("workshop"), pk=pk)
    field_file = _edition_file(build, edition)
    if build.status != BuildStatus.READY or not field_file or not _may_download(request.user, build):
        raise Http404
    suffix = "" if field_file is build.file else "-web"
    return protected_file_response(
        field_file, filename=f"{build.workshop.slug}-proceedings-{build.pk}{suffix}.pdf", content_type="application/pdf"
    )


def _edition_file(build: ProceedingsBuild, edition: str):
    """The edition's file; a build made before web editions existed offers its print file for both."""
    if edition == WEB and build.web_file:
        return build.web_file
    return build.file


@login_required
@permission_required("reports.publish_proceedings", raise_exception=True)
@require_POST
def build_publish(request, pk):
    build = get_object_or_404(ProceedingsBuild.objects.select_related("workshop"), pk=pk)
    try:
        proceedings_publish(build=build, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Build %(number)d is now the published proceedings.") % {"number": build.pk})
    return redirect("reports:builds", slug=build.workshop.slug)


def _published_build(request, slug) -> ProceedingsBuild:
    workshop = get_object_or_404(Workshop.objects.published(), slug=slug)
    build = ProceedingsBuild.objects.filter(workshop=workshop, is_published=True).select_related("workshop").first()
    if build is None or not _may_download(request.user, build):
        raise Http404
    return build


@login_required
@require_safe
def published_page(request, slug):
    """The published proceedings: the web edition first (light enough to read on screen and to send
    on), then the print edition (every picture as uploaded), each with its size and checksum."""
    build = _published_build(request, slug)
    return render(request, "reports/proceedings_published.html", {"workshop": build.workshop, "build": build})


@login_required
@require_safe
def published(request, slug):
    """The published proceedings' web edition (the print file for a build made before web editions)."""
    return build_download(request, _published_build(request, slug).pk, WEB)


@login_required
@require_safe
def published_print(request, slug):
    return build_download(request, _published_build(request, slug).pk, PRINT)
