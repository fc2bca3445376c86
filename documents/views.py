"""The public verification page, the holder's and the staff's downloads, and the staff's page of a
workshop's documents and batches.

Who is admitted: anyone to /verify/<code>/ (rate limited, shows only what the document states and
whether it is valid); the holder to their own current document, and the organisers and secretariat
(`documents.view_issueddocument`) to any, everyone else a 404 whether or not it exists; batches to
`documents.view_documentbatch` / `documents.add_documentbatch`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from documents.batches import DOCUMENT_BATCHES, BatchAlreadyRunningError, batch_filename, document_batch_request
from documents.enums import BatchStatus
from documents.kinds import kind_spec, kind_staff_may_read
from documents.models import DocumentBatch, IssuedDocument
from documents.ratelimit import verify_rate_exceeded
from documents.selectors import DocumentsOverview, document_by_code, document_may_download
from jobs import job_status, watchdog_for
from workshop_portal.downloads import protected_file_response
from workshop_portal.models import Workshop


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_safe
def verify(request, code):
    if verify_rate_exceeded(request):
        response = render(request, "documents/verify_limited.html", status=429)
        response["Retry-After"] = "60"
        return _noindex(response)
    document = document_by_code(code=code)
    if document is None:
        return _noindex(render(request, "documents/verify_unknown.html", status=404))
    return _noindex(render(request, "documents/verify.html", {"document": document}))


@login_required
@require_safe
def download(request, pk):
    document = IssuedDocument.objects.select_related("registration").filter(pk=pk).first()
    if document is None or not document_may_download(user=request.user, document=document):
        raise Http404
    return protected_file_response(document.file, filename=document.filename, content_type="application/pdf")


@login_required
@permission_required("documents.view_issueddocument", raise_exception=True)
@require_safe
def workshop_documents(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    # Without a scheduler, looking at the page is enough to notice a batch whose worker vanished.
    watchdog_for(DOCUMENT_BATCHES)
    overview = DocumentsOverview(workshop, request.user)
    return render(
        request,
        "documents/workshop_documents.html",
        {
            "workshop": workshop,
            "overview": overview,
            "can_generate": request.user.has_perm("documents.add_documentbatch"),
        },
    )


@login_required
@permission_required("documents.add_documentbatch", raise_exception=True)
@require_POST
def batch_start(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug)
    try:
        spec = kind_spec(request.POST.get("kind", ""))
    except LookupError:
        messages.error(request, _("Choose which documents to generate."))
        return redirect("documents:workshop", slug=workshop.slug)
    if not kind_staff_may_read(request.user, spec.kind):
        raise PermissionDenied
    try:
        batch = document_batch_request(workshop=workshop, kind=spec.kind, by=request.user)
    except BatchAlreadyRunningError as running:
        messages.info(
            request,
            _("A batch of “%(kind)s” is already under way (batch %(number)d): nothing new was started.")
            % {"kind": spec.label, "number": running.batch.pk},
        )
        return redirect("documents:workshop", slug=workshop.slug)
    batch.refresh_from_db()
    if batch.status == BatchStatus.READY:  # without a broker it ran inline, within this request
        messages.success(
            request,
            _("Batch %(number)d is ready: %(issued)d issued, %(kept)d unchanged.")
            % {"number": batch.pk, "issued": batch.issued_count, "kept": batch.kept_count},
        )
    elif batch.status == BatchStatus.FAILED:
        messages.error(request, _("Batch %(number)d failed: %(error)s") % {"number": batch.pk, "error": batch.error})
    else:
        messages.success(request, _("The documents are being generated. Follow the progress below."))
    return redirect("documents:workshop", slug=workshop.slug)


@login_required
@permission_required("documents.view_documentbatch", raise_exception=True)
@require_safe
def batch_status(request, pk):
    batch = get_object_or_404(DocumentBatch, pk=pk)
    if not kind_staff_may_read(request.user, batch.kind):
        raise Http404
    status = job_status(DOCUMENT_BATCHES, batch)  # what static/js/build-progress.js reads
    return JsonResponse(
        {
            "status": status["status"],
            "status_label": batch.get_status_display(),
            "done": status["done"],
            "total": status["total"],
            "percent": status["percent"] or 0,
            "label": batch.get_status_display(),
            "finished": not status["pending"],
        }
    )


@login_required
@permission_required("documents.view_documentbatch", raise_exception=True)
@require_safe
def batch_download(request, pk):
    batch = get_object_or_404(DocumentBatch.objects.select_related("workshop"), pk=pk)
    if batch.status != BatchStatus.READY or not batch.file or not kind_staff_may_read(request.user, batch.kind):
        raise Http404
    return protected_file_response(batch.file, filename=batch_filename(batch), content_type="application/zip")
