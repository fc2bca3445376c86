"""Every write to presentations: creating them under the note's rules, deciding, and files.

An upload is inspected before anything is stored, streamed from the temporary upload file into
private storage under a generated name, and recorded as a new version in one transaction; a
PPTX or DOCX is converted to PDF by a worker once that transaction has committed.
"""

import contextlib
import logging
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.enums import Action
from audit.services import record as audit_record
from presentations.conversion_jobs import conversion_queue_on_commit
from presentations.enums import ACTIVE_STATUSES, ConversionStatus, FileKind, PresentationStatus
from presentations.filenames import sanitise_filename
from presentations.models import Presentation, PresentationFile
from presentations.neutralise import neutralise_upload
from presentations.rules import presenter_segment_error
from presentations.validation import file_size_and_sha256, inspect_upload
from presentations.web_copies import web_copy_queue_on_commit
from registrations.enums import RegistrationStatus
from sessions.enums import SegmentKind
from workshop_portal.dates import format_datetime_with_zone
from workshop_portal.models import User, Workshop

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
    if presentation.presenter.status != RegistrationStatus.APPROVED:
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
            if by.pk != presentation.presenter.user_id:
                # A file put in a delegate's place by someone else (the secretariat) is a staff action.
                audit_record(
                    action=Action.FILE_UPLOAD,
                    obj=version,
                    actor=by,
                    workshop_id=presentation.workshop_id,
                    changes={"file": [None, version.original_name], "sha256": [None, sha256]},
                )
            if needs_conversion:
                conversion_queue_on_commit(version)
            else:
                web_copy_queue_on_commit(version)
    return version
