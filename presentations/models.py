"""Presentations in the segments of a working session, and their uploaded files as versions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presentations.enums import ACTIVE_STATUSES, ConversionStatus, FileKind, PresentationStatus, RemovedContent
from registrations.models import Registration
from sessions.enums import SegmentKind
from sessions.models import Segment
from workshop_portal.models import MemberState, Workshop
from workshop_portal.storage import private_storage


class Presentation(models.Model):
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.PROTECT, related_name="presentations"
    )
    presenter = models.ForeignKey(
        Registration, verbose_name=_("presenter"), on_delete=models.PROTECT, related_name="presentations"
    )
    title = models.CharField(_("title"), max_length=255)
    abstract = models.TextField(_("abstract"), help_text=_("A short summary, printed in the proceedings."))
    status = models.CharField(
        _("status"), max_length=16, choices=PresentationStatus.choices, default=PresentationStatus.DRAFT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Position within its segment."))

    # Copied from the segment and the presenter by the services, so the database itself can hold
    # the rule "one best practice per member state per workshop" (a constraint cannot join).
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="presentations", editable=False
    )
    segment_kind = models.CharField(_("segment kind"), max_length=32, choices=SegmentKind.choices, editable=False)
    presenting_state = models.ForeignKey(
        MemberState,
        verbose_name=_("presenting state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
        editable=False,
    )

    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        ordering = ["segment", "order", "pk"]
        permissions = [
            ("upload_on_behalf", _("Can upload files on a presenter's behalf")),
            ("decide_presentation", _("Can accept and reject presentations")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "presenting_state"],
                condition=models.Q(segment_kind=SegmentKind.PARTNER_BEST_PRACTICES, status__in=ACTIVE_STATUSES),
                name="presentation_one_best_practice_per_state",
                violation_error_message=_("This member state already presents a best practice in this workshop."),
            ),
        ]
        indexes = [models.Index(fields=["workshop", "status"], name="presentation_workshop_status")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("presentations:detail", kwargs={"pk": self.pk})

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def latest_conversion_label(self):
        """What the latest file version's conversion status reads, where the read annotated it
        (latest_conversion_status: presentations.selectors.registration_presentations)."""
        status = getattr(self, "latest_conversion_status", None)
        return ConversionStatus(status).label if status else ""


def presentation_file_path(instance: "PresentationFile", filename: str) -> str:
    # The service names files (a random token); the delegate's name for it is only metadata.
    return f"presentations/{instance.presentation.workshop_id}/{instance.presentation_id}/{filename}"


class PresentationFile(models.Model):
    """One uploaded version of a presentation's file. Every version is kept."""

    presentation = models.ForeignKey(
        Presentation, verbose_name=_("presentation"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=presentation_file_path, max_length=300)
    original_name = models.CharField(_("original name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    # What the portal took out of the file before storing or serving it (codes of RemovedContent):
    # the stored file and its PDF are the neutralised copies, never the bytes as uploaded.
    removed_content = models.JSONField(_("removed from the file"), default=list, blank=True)
    # False only for files stored before neutralising existed: they are neither served nor merged
    # until `neutralise_stored_files` has rewritten them (presentations/stored_files.py).
    neutralised = models.BooleanField(_("neutralised"), default=True)
    withheld_reason = models.TextField(
        _("withheld because"),
        blank=True,
        help_text=_("Why a file stored before the current safety checks fails them: it is never served or merged."),
    )

    conversion_status = models.CharField(
        _("conversion"), max_length=16, choices=ConversionStatus.choices, default=ConversionStatus.NOT_NEEDED
    )
    conversion_error = models.TextField(_("conversion error"), blank=True)
    pdf = models.FileField(
        _("converted PDF"), storage=private_storage, upload_to=presentation_file_path, max_length=300, blank=True
    )
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True)
    # The PDF with its pictures downsampled for the proceedings' web edition (presentations/web_copies.py).
    web_pdf = models.FileField(
        _("web copy"), storage=private_storage, upload_to=presentation_file_path, max_length=300, blank=True
    )
    # Pictures the web copy downsampled: none means it is only repacked, and the web edition gains
    # nothing from it. Empty for copies made before this was counted.
    web_pdf_downsampled = models.PositiveIntegerField(_("pictures downsampled in the web copy"), null=True, blank=True)
    # How the conversion travels: when it was handed to the broker (empty while the broker was
    # unreachable), when a worker took it, which task holds it and how many times it started.
    conversion_queued_at = models.DateTimeField(_("conversion queued"), null=True, blank=True)
    conversion_started_at = models.DateTimeField(_("conversion started"), null=True, blank=True)
    conversion_task_id = models.CharField(_("conversion task"), max_length=64, blank=True)
    conversion_attempts = models.PositiveSmallIntegerField(_("conversion attempts"), default=0)

    class Meta:
        verbose_name = _("presentation file")
        verbose_name_plural = _("presentation files")
        ordering = ["presentation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["presentation", "version"], name="presentation_file_version_unique"),
        ]

    def __str__(self):
        return f"{self.presentation} v{self.version}"

    @property
    def conversion_waits_for_service(self) -> bool:
        """Pending, but the broker could not take it yet: the watchdog queues it when it can."""
        return self.conversion_status == ConversionStatus.PENDING and self.conversion_queued_at is None

    @property
    def removed_content_labels(self) -> list[str]:
        """What was removed, in plain words for the delegate (unknown codes are shown as they are)."""
        return [
            str(RemovedContent(code).label) if code in RemovedContent.values else code for code in self.removed_content
        ]

    @property
    def pdf_file(self):
        """The PDF the proceedings use: the stored (neutralised) PDF upload, or its conversion once done."""
        if not self.neutralised:
            return None
        if self.kind == FileKind.PDF:
            return self.file
        if self.conversion_status == ConversionStatus.CONVERTED and self.pdf:
            return self.pdf
        return None
