"""Every write to presentations: creating them under the note's rules, deciding, and files.

An upload is inspected before anything is stored, streamed from the temporary upload file into
private storage under a generated name, and recorded as a new version in one transaction; a
PPTX or DOCX is converted to PDF by a worker once that transaction has committed.
"""

import contextlib
import datetime
import logging
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from presentations.enums import ACTIVE_STATUSES, ConversionStatus, FileKind, PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.neutralise import neutralise_upload
from presentations.rules import presenter_segment_error
from presentations.validation import file_size_and_sha256, inspect_upload, sanitise_filename
from sessions.enums import SegmentKind
from workshop_portal.dates import format_datetime_with_zone
from workshop_portal.models import User, Workshop
from workshop_portal.page_cache import presentation_files_changed
from workshop_portal.queueing import enqueue

logger = logging.getLogger(__name__)

P = PresentationStatus


def _is_presenter(presentation: Presentation, user: User) -> bool:
    return presentation.presenter.user_id == user.pk


def _deadline_passed(workshop: Workshop) -> bool:
    return timezone.now() > workshop.upload_deadline


def _deadline_message(workshop: Workshop) -> str:
    deadline = format_datetime_with_zone(workshop.upload_deadline, workshop.time_zone)
    return _("The deadline for presentations passed on %(date)s.") % {"date": deadline}


def presentation_check_rules(*, presentation: Presentation) -> None:
    """Check the note's rules, and copy onto the presentation what the database constraint needs.

    Writes nothing to the database: forms call it to show the same message before saving.
    """
    error = presenter_segment_error(presenter=presentation.presenter, segment=presentation.segment)
    if error:
        raise ValidationError({"segment": error})
    presentation.workshop_id = presentation.segment.session.workshop_id
    presentation.segment_kind = presentation.segment.kind
    presentation.presenting_state = presentation.presenter.represented_state
    if presentation.segment_kind == SegmentKind.PARTNER_BEST_PRACTICES and presentation.is_active:
        taken = (
            Presentation.objects.filter(
                workshop_id=presentation.workshop_id,
                presenting_state=presentation.presenting_state,
                segment_kind=SegmentKind.PARTNER_BEST_PRACTICES,
                status__in=ACTIVE_STATUSES,
            )
            .exclude(pk=presentation.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "segment": _(
                        "%(state)s already presents a best practice in this workshop: “%(title)s”. "
                        "Each member state presents one."
                    )
                    % {"state": presentation.presenting_state.name, "title": taken.title}
                }
            )


def _lock_workshop_of(presentation: Presentation) -> Workshop:
    # Serialises presentation changes per workshop: the best-practice slot cannot be taken twice.
    return Workshop.objects.select_for_update().get(pk=presentation.segment.session.workshop_id)


@transaction.atomic
def presentation_create(*, presentation: Presentation, by: User) -> Presentation:
    """A new presentation (a draft until its first file), by its presenter or an organiser."""
    if not _is_presenter(presentation, by) and not by.has_perm("presentations.add_presentation"):
        raise PermissionDenied
    workshop = _lock_workshop_of(presentation)
    if _is_presenter(presentation, by) and _deadline_passed(workshop):
        raise ValidationError(_deadline_message(workshop))
    presentation.status = P.DRAFT
    presentation_check_rules(presentation=presentation)
    last = Presentation.objects.filter(segment=presentation.segment).aggregate(last=Max("order"))["last"]
    presentation.order = (last or 0) + 1
    presentation.full_clean(exclude=["workshop", "segment_kind", "presenting_state"], validate_constraints=False)
    presentation.save()
    return presentation


@transaction.atomic
def presentation_update(*, presentation: Presentation, by: User) -> Presentation:
    """Save a changed title, abstract, segment or position.

    Presenters edit their own until the deadline and until it is accepted; organisers edit and
    move any presentation, always under the segment rules.
    """
    current = Presentation.objects.select_for_update().get(pk=presentation.pk)
    workshop = _lock_workshop_of(presentation)
    if _is_presenter(presentation, by) and not by.has_perm("presentations.change_presentation"):
        if current.status not in (P.DRAFT, P.SUBMITTED):
            raise ValidationError(
                _("This presentation is %(status)s and can no longer be edited.")
                % {"status": current.get_status_display().lower()}
            )
        if _deadline_passed(workshop):
            raise ValidationError(_deadline_message(workshop))
        if presentation.segment_id != current.segment_id:
            presentation.order = 0
    elif not by.has_perm("presentations.change_presentation"):
        raise PermissionDenied
    presentation.status = current.status
    presentation_check_rules(presentation=presentation)
    presentation.full_clean(exclude=["workshop", "segment_kind", "presenting_state"], validate_constraints=False)
    presentation.save()
    return presentation


def _set_status(presentation: Presentation, status: str) -> Presentation:
    presentation.status = status
    presentation.status_changed_at = timezone.now()
    presentation.save(update_fields=["status", "status_changed_at", "updated_at"])
    return presentation


@transaction.atomic
def presentation_withdraw(*, presentation: Presentation, by: User) -> Presentation:
    """The presenter withdraws; the state's best-practice slot frees up."""
    current = Presentation.objects.select_for_update().select_related("presenter").get(pk=presentation.pk)
    if not _is_presenter(current, by) and not by.has_perm("presentations.decide_presentation"):
        raise PermissionDenied
    if current.status == P.WITHDRAWN:
        return current
    if current.status == P.REJECTED:
        raise ValidationError(_("A rejected presentation cannot be withdrawn."))
    return _set_status(current, P.WITHDRAWN)


@transaction.atomic
def presentation_decide(*, presentation: Presentation, status: str, by: User) -> Presentation:
    """Organisers accept or reject a presentation (or reconsider a rejection)."""
    if not by.has_perm("presentations.decide_presentation"):
        raise PermissionDenied
    if status not in (P.ACCEPTED, P.REJECTED):
        raise ValueError(status)
    current = (
        Presentation.objects.select_for_update().select_related("segment__session", "presenter").get(pk=presentation.pk)
    )
    _lock_workshop_of(current)
    if current.status == status:
        return current
    if current.status == P.WITHDRAWN:
        raise ValidationError(_("The presenter withdrew this presentation."))
    if status == P.ACCEPTED:
        current.status = status
        # A rejected best practice may have lost its slot meanwhile; the rules say so.
        presentation_check_rules(presentation=current)
    return _set_status(current, status)


@contextlib.contextmanager
def _upload_on_disk(uploaded_file):
    """The upload as a file on disk: Django's temporary file, or a copy streamed from memory."""
    if hasattr(uploaded_file, "temporary_file_path"):
        yield Path(uploaded_file.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(prefix="portal-upload-") as handle:
        for chunk in uploaded_file.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def _check_may_upload(presentation: Presentation, by: User) -> None:
    on_behalf = by.has_perm("presentations.upload_on_behalf")
    if not _is_presenter(presentation, by) and not on_behalf:
        raise PermissionDenied
    if not presentation.segment.accepts_presentations:
        raise ValidationError(_("This segment takes no presentations."))
    if presentation.status not in ACTIVE_STATUSES:
        raise ValidationError(
            _("This presentation is %(status)s: it takes no more files.")
            % {"status": presentation.get_status_display().lower()}
        )
    if presentation.presenter.status != "approved":
        raise ValidationError(_("Only a delegate whose registration is approved can upload a presentation."))
    if not on_behalf and _deadline_passed(presentation.workshop):
        raise ValidationError(_deadline_message(presentation.workshop))


def presentation_accept_upload(*, presentation: Presentation, uploaded_file, by: User) -> PresentationFile:
    """Inspect, store and record a new version of a presentation's file.

    A refused file leaves nothing behind: no row, no stored file, no task.
    """
    _check_may_upload(presentation, by)
    with (
        _upload_on_disk(uploaded_file) as upload_path,
        tempfile.TemporaryDirectory(prefix="portal-neutralise-") as workdir,
    ):
        inspected = inspect_upload(upload_path, max_bytes=settings.PRESENTATION_MAX_UPLOAD_BYTES)
        # What is stored is the inert copy; the bytes as uploaded never reach storage.
        neutralised = neutralise_upload(upload_path, inspected, Path(workdir))
        path = neutralised.path
        size, sha256 = file_size_and_sha256(path)
        with transaction.atomic():
            presentation = (
                Presentation.objects.select_for_update()
                .select_related("workshop", "presenter", "segment__session")
                .get(pk=presentation.pk)
            )
            _check_may_upload(presentation, by)
            last = presentation.files.aggregate(last=Max("version"))["last"] or 0
            needs_conversion = inspected.kind != FileKind.PDF
            version = PresentationFile(
                presentation=presentation,
                version=last + 1,
                original_name=sanitise_filename(uploaded_file.name or ""),
                kind=inspected.kind,
                size=size,
                sha256=sha256,
                removed_content=neutralised.removed,
                page_count=neutralised.page_count,
                uploaded_by=by,
                conversion_status=ConversionStatus.PENDING if needs_conversion else ConversionStatus.NOT_NEEDED,
            )
            with path.open("rb") as handle:
                version.file.save(f"{secrets.token_hex(16)}{inspected.extension}", File(handle), save=False)
            try:
                version.save()
                if presentation.status == P.DRAFT:
                    _set_status(presentation, P.SUBMITTED)
            except Exception:
                version.file.storage.delete(version.file.name)
                raise
            if needs_conversion:
                transaction.on_commit(lambda: _queue_conversion(version.pk))
    return version


def _queue_conversion(file_id: int) -> bool:
    """Hand a conversion to the broker. With the broker unreachable the upload is kept, the
    version stays pending without a queue time, and `conversions_watchdog` queues it later."""
    from presentations.tasks import convert_presentation_file

    PresentationFile.objects.filter(pk=file_id).update(conversion_queued_at=timezone.now())
    if enqueue(convert_presentation_file, file_id=file_id):
        return True
    PresentationFile.objects.filter(pk=file_id, conversion_status=ConversionStatus.PENDING).update(
        conversion_queued_at=None
    )
    return False


MAX_CONVERSION_ATTEMPTS = 3


def _conversion_stale_after() -> datetime.timedelta:
    # Past the task's hard time limit, a conversion still "converting" has lost its worker.
    return datetime.timedelta(seconds=settings.CONVERSION_TIMEOUT_SECONDS + 180)


def _claim_conversion(version: PresentationFile, task_id: str) -> bool:
    """Take a conversion for one task. The same task may take it again (its message comes back
    when its worker process died); another task only once the claim has gone stale."""
    holds = Q(conversion_status=ConversionStatus.PENDING)
    if task_id:
        holds |= Q(conversion_status=ConversionStatus.CONVERTING, conversion_task_id=task_id)
    claimed = PresentationFile.objects.filter(
        holds, pk=version.pk, conversion_attempts__lt=MAX_CONVERSION_ATTEMPTS
    ).update(
        conversion_status=ConversionStatus.CONVERTING,
        conversion_started_at=timezone.now(),
        conversion_task_id=task_id,
        conversion_attempts=F("conversion_attempts") + 1,
    )
    failed = 0
    if not claimed:
        # A conversion that keeps killing its worker stops here rather than forever.
        failed = PresentationFile.objects.filter(
            holds, pk=version.pk, conversion_attempts__gte=MAX_CONVERSION_ATTEMPTS
        ).update(
            conversion_status=ConversionStatus.FAILED,
            conversion_error=_("The conversion stopped %(count)s times without finishing.")
            % {"count": MAX_CONVERSION_ATTEMPTS},
        )
    if claimed or failed:
        presentation_files_changed([version.pk])  # the status its presenter's dashboard shows
    return bool(claimed)


def conversions_watchdog() -> dict[str, list[int]]:
    """Queue the conversions the broker never took, restart those whose worker vanished.

    Runs every minute from the scheduler; a duplicate message is harmless, the claim keeps the
    conversion to one run.
    """
    now = timezone.now()
    stalled = list(
        PresentationFile.objects.filter(
            conversion_status=ConversionStatus.CONVERTING, conversion_started_at__lt=now - _conversion_stale_after()
        ).values_list("pk", "conversion_attempts")
    )
    failed = [pk for pk, attempts in stalled if attempts >= MAX_CONVERSION_ATTEMPTS]
    if failed:
        PresentationFile.objects.filter(pk__in=failed, conversion_status=ConversionStatus.CONVERTING).update(
            conversion_status=ConversionStatus.FAILED,
            conversion_error=_("The conversion stopped %(count)s times without finishing.")
            % {"count": MAX_CONVERSION_ATTEMPTS},
        )
    restart = [pk for pk, attempts in stalled if attempts < MAX_CONVERSION_ATTEMPTS]
    PresentationFile.objects.filter(pk__in=restart, conversion_status=ConversionStatus.CONVERTING).update(
        conversion_status=ConversionStatus.PENDING, conversion_task_id="", conversion_queued_at=None
    )
    if stalled:
        presentation_files_changed(pk for pk, _attempts in stalled)
    waiting = PresentationFile.objects.filter(conversion_status=ConversionStatus.PENDING).filter(
        Q(conversion_queued_at__isnull=True)
        | Q(conversion_queued_at__lt=now - datetime.timedelta(seconds=settings.CONVERSION_REQUEUE_AFTER_SECONDS))
    )
    queued, unreachable = [], []
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        (queued if _queue_conversion(pk) else unreachable).append(pk)
        if unreachable:
            break  # the broker is down: the next round tries again
    return {"queued": queued, "failed": failed, "unreachable": unreachable}


def presentation_file_convert(*, version: PresentationFile, task_id: str = "") -> PresentationFile:
    """Turn a PPTX or DOCX version into PDF with LibreOffice. Ends converted, failed or unavailable.

    Runs at most once to its end per version: the result is recorded only while this task still
    holds the claim, so a restarted conversion and a late duplicate cannot both store a PDF.
    """
    from presentations.conversion import ConversionFailedError, ConversionUnavailableError, convert_to_pdf

    if not _claim_conversion(version, task_id):
        version.refresh_from_db()
        return version
    version.refresh_from_db()
    workdir = Path(tempfile.mkdtemp(prefix="portal-convert-"))
    try:
        # A local copy: the original may live in object storage, not on this worker's disk.
        source = workdir / f"source.{version.kind}"
        with version.file.open("rb") as original, source.open("wb") as copy:
            shutil.copyfileobj(original, copy, length=1024 * 1024)
        try:
            pdf_path = convert_to_pdf(source, workdir / "out", timeout=settings.CONVERSION_TIMEOUT_SECONDS)
        except ConversionUnavailableError:
            version.conversion_status = ConversionStatus.UNAVAILABLE
            version.conversion_error = _("LibreOffice is not installed where the conversion runs.")
        except ConversionFailedError as error:
            version.conversion_status = ConversionStatus.FAILED
            version.conversion_error = str(error)[:1000]
        else:
            from pypdf import PdfReader

            from presentations.pdf_clean import clean_pdf
            from presentations.validation import FileRejectedError

            # LibreOffice carries a deck's hyperlinks (javascript: ones too) and media into the PDF:
            # what is stored and merged is the rewritten copy, as for an uploaded PDF.
            clean_path = workdir / "clean.pdf"
            try:
                removed = clean_pdf(pdf_path, clean_path)
            except FileRejectedError as error:
                version.conversion_status = ConversionStatus.FAILED
                version.conversion_error = error.messages[0]
            else:
                version.removed_content = list(dict.fromkeys([*version.removed_content, *removed]))
                version.page_count = len(PdfReader(clean_path).pages)
                with clean_path.open("rb") as handle:
                    version.pdf.save(f"{secrets.token_hex(16)}.pdf", File(handle), save=False)
                version.conversion_status = ConversionStatus.CONVERTED
                version.conversion_error = ""
                version.converted_at = timezone.now()
    except Exception as error:
        logger.exception("conversion of presentation file %s failed", version.pk)
        version.conversion_status = ConversionStatus.FAILED
        version.conversion_error = f"{type(error).__name__}: {error}"[:1000]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    recorded = PresentationFile.objects.filter(
        pk=version.pk, conversion_status=ConversionStatus.CONVERTING, conversion_task_id=task_id
    ).update(
        conversion_status=version.conversion_status,
        conversion_error=version.conversion_error,
        pdf=version.pdf.name or "",
        page_count=version.page_count,
        converted_at=version.converted_at,
        removed_content=version.removed_content,
    )
    if recorded:
        presentation_files_changed([version.pk])
        if version.conversion_status in (ConversionStatus.FAILED, ConversionStatus.UNAVAILABLE):
            # The delegate sees the reason on their page; the secretariat needs it in the log to help.
            logger.warning(
                "conversion of presentation %s, file %s (version %s) ended %s: %s",
                version.presentation_id,
                version.pk,
                version.version,
                version.conversion_status,
                version.conversion_error,
                extra={"presentation_id": version.presentation_id, "presentation_file_id": version.pk},
            )
    else:
        logger.warning("conversion of presentation file %s was taken over; dropping this result", version.pk)
        if version.pdf:
            version.pdf.storage.delete(version.pdf.name)
        version.refresh_from_db()
    return version
