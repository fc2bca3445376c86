"""Official documents the portal issues (certificates now; invitation and visa letters plug in through
documents/kinds.py), each verifiable by anyone holding its code, and the batches that issue them.

One current document per holder and kind: issuing again for the same holder (a corrected name, a
new presentation title) revokes the current one as "superseded" and points it at its successor, so
a code printed on an old paper still answers, and says it was replaced. The database keeps the rule
(a unique constraint on the current documents), so two workers cannot both make one current.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from documents.enums import BatchStatus, DocumentKind, Revocation
from workshop_portal.models import Workshop, institution_link, member_state_link
from workshop_portal.storage import private_storage

# 18 random bytes: 144 bits, 24 URL-safe characters. Guessing one valid code among a million issued
# takes about 2^124 tries; the verification page is rate limited besides.
CODE_BYTES = 18


def new_document_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class IssuedDocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class IssuedDocument(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    holder_name = models.CharField(_("holder"), max_length=255, help_text=_("The name as printed on the document."))
    # Who the document is for, as one comparable value ("registration:12", "state:KZ", "institution:3"):
    # the key of the one-current-document rule, whatever the kind addresses.
    holder_key = models.CharField(_("holder key"), max_length=64, editable=False)
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_documents",
    )
    member_state = member_state_link()
    institution = institution_link()
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    code = models.CharField(
        _("verification code"), max_length=48, unique=True, default=new_document_code, editable=False
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to="documents/", blank=True, editable=False)
    size = models.PositiveIntegerField(_("size"), default=0, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, editable=False)
    # A digest of what the document says (kinds.py: `content`): a batch issues again only when it changed.
    content_key = models.CharField(_("content key"), max_length=64, blank=True, editable=False)
    batch = models.ForeignKey(
        "documents.DocumentBatch",
        verbose_name=_("batch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="documents",
    )
    issued_at = models.DateTimeField(_("issued"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revocation = models.CharField(
        _("revocation"), max_length=16, choices=Revocation.choices, blank=True, editable=False
    )
    # For the staff only: the public verification page never shows it (it may say something about the person).
    revocation_reason = models.TextField(_("reason for revocation"), blank=True, editable=False)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        permissions = [("revoke_issueddocument", _("Can revoke issued documents"))]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "kind", "holder_key"],
                condition=models.Q(revoked_at__isnull=True),
                name="document_one_current_per_holder_and_kind",
                violation_error_message=_("This holder already has a current document of this kind."),
            ),
        ]
        indexes = [models.Index(fields=["workshop", "kind", "revoked_at"], name="document_workshop_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def issued_on(self):
        """The day of issue at the workshop's venue, as the PDF prints it."""
        return self.issued_at.astimezone(self.workshop.tzinfo).date()

    @property
    def revoked_on(self):
        return self.revoked_at.astimezone(self.workshop.tzinfo).date() if self.revoked_at else None

    @property
    def download_url(self) -> str:
        return reverse("documents:download", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        return f"{self.kind.replace('_', '-')}-{slugify(self.holder_name) or 'document'}-{self.code[:8]}.pdf"


class DocumentBatch(models.Model):
    """Every document of one kind for a workshop, issued by a worker (jobs/), with a ZIP of them."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    issued_count = models.PositiveIntegerField(_("issued"), default=0)
    kept_count = models.PositiveIntegerField(_("kept unchanged"), default=0)
    file = models.FileField(_("ZIP file"), storage=private_storage, upload_to="documents/batches/", blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The job's lifecycle (jobs/): which task holds it, how often it started, its last sign of life.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("document batch")
        verbose_name_plural = _("document batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("%(kind)s for %(workshop)s, batch %(number)s") % {
            "kind": self.get_kind_display(),
            "workshop": self.workshop,
            "number": self.pk,
        }

    @property
    def is_pending(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.progress_done / self.progress_total)) if self.progress_total else 0
