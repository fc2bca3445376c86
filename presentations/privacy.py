"""The presentations app's part of the personal data registry (workshop_portal.personal_data).

A person's presentations and the files they uploaded are theirs: the export carries every
version as uploaded. On erasure, presentations are withdrawn, emptied and their files deleted,
except the accepted presentations of workshops that took place: those stay (title, abstract,
files: the workshop's record and its proceedings) but no longer name the person, whose
registration is anonymised, and their file versions lose the uploader and the original file
name. The retention purge deletes the files of withdrawn and declined presentations.
"""

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from sessions.models import WorkingSession
from workshop_portal import personal_data
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem

GONE_STATUSES = (PresentationStatus.WITHDRAWN, PresentationStatus.REJECTED)


def _own(user: User):
    return Presentation.objects.filter(presenter__user=user)


def _summary(user: User) -> list[SummaryItem]:
    presentations = (
        _own(user)
        .select_related("workshop", "segment__session__country")
        .annotate(version_count=Count("files"))
        .order_by("-workshop__start_date", "pk")
    )
    return [
        SummaryItem(
            title=presentation.title,
            details=[
                (capfirst(Presentation._meta.get_field("workshop").verbose_name), presentation.workshop.title),
                (capfirst(WorkingSession._meta.verbose_name), presentation.segment.session.display_title),
                (capfirst(Presentation._meta.get_field("status").verbose_name), presentation.get_status_display()),
                (_("Uploaded files"), presentation.version_count),
            ],
        )
        for presentation in presentations
    ]


def _export(user: User) -> ExportSection:
    presentations = (
        _own(user)
        .select_related("workshop", "segment__session__country")
        .prefetch_related("files")
        .order_by("workshop__start_date", "pk")
    )
    data, files = [], []
    for presentation in presentations:
        versions = []
        for version in sorted(presentation.files.all(), key=lambda v: v.version):
            archive_name = f"presentations/{presentation.pk}/v{version.version}-{version.original_name}"
            files.append((archive_name, version.file))
            versions.append(
                {
                    "version": version.version,
                    "original_name": version.original_name,
                    "type": version.kind,
                    "size": version.size,
                    "sha256": version.sha256,
                    "pages": version.page_count,
                    "uploaded_at": version.uploaded_at,
                    "archive_file": archive_name,
                }
            )
        data.append(
            {
                "id": presentation.pk,
                "workshop": presentation.workshop.title,
                "session": presentation.segment.session.display_title,
                "segment": presentation.segment.display_title,
                "title": presentation.title,
                "abstract": presentation.abstract,
                "status": presentation.status,
                "created_at": presentation.created_at,
                "updated_at": presentation.updated_at,
                "versions": versions,
            }
        )
    return ExportSection(data=data, files=files)


def presentation_files_delete(versions, cleanup: Cleanup) -> int:
    """Delete these file versions, rows now and stored files after commit. Returns how many."""
    rows = list(versions.only("pk", "file", "pdf", "web_pdf"))
    for version in rows:
        cleanup.delete_file(version.file)
        cleanup.delete_file(version.pdf)
        cleanup.delete_file(version.web_pdf)
    PresentationFile.objects.filter(pk__in=[v.pk for v in rows]).delete()
    return len(rows)


def _erase(user: User, cleanup: Cleanup) -> None:
    # Accepted presentations of a workshop that took place are its record; the rest go.
    today = timezone.localdate()
    own = list(_own(user).select_for_update(of=("self",)).values_list("pk", "status", "workshop__end_date"))
    kept = [pk for pk, status, end in own if status == PresentationStatus.ACCEPTED and end < today]
    dropped = [pk for pk, _status, _end in own if pk not in kept]

    deleted = presentation_files_delete(PresentationFile.objects.filter(presentation_id__in=dropped), cleanup)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Withdrawn presentation")
    Presentation.objects.filter(pk__in=dropped).update(
        status=PresentationStatus.WITHDRAWN,
        title=title,
        abstract="",
        status_changed_at=cleanup.now,
        updated_at=cleanup.now,
    )
    cleanup.count(gettext_lazy("presentations withdrawn and emptied"), len(dropped))
    cleanup.count(gettext_lazy("presentation file versions deleted"), deleted)

    # Accepted presentations stay, without the person's name on their files.
    versions = list(PresentationFile.objects.filter(presentation_id__in=kept))
    for version in versions:
        version.original_name = f"presentation-{version.presentation_id}-v{version.version}.{version.kind}"
    PresentationFile.objects.bulk_update(versions, ["original_name"], batch_size=500)
    PresentationFile.objects.filter(uploaded_by=user).update(uploaded_by=None)
    cleanup.count(gettext_lazy("accepted presentations kept without the presenter's name"), len(kept))


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    versions = PresentationFile.objects.filter(presentation__workshop=workshop, presentation__status__in=GONE_STATUSES)
    cleanup.count(
        gettext_lazy("file versions of withdrawn or declined presentations deleted"),
        presentation_files_delete(versions, cleanup),
    )


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="presentations",
            title=gettext_lazy("Your presentations"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You have not proposed any presentation."),
        )
    )
