"""Letters: each workshop's letter settings and texts, and the visa support letter requests.

Imported by delegations.models (the app's models module); the letters' rules are in
delegations/letters.py (texts, placeholders, rendering) and delegations/visa.py (requests).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from delegations.enums import LetterKind, VisaRequestStatus
from registrations.models import Registration
from workshop_portal.models import Workshop, language_choices
from workshop_portal.storage import private_storage

OTHER_LANGUAGES = ("fr", "ar", "ru")
"""The portal's languages besides English, each with its own form of the signatory's name and title."""


class LetterSettings(models.Model):
    """What every letter of a workshop carries besides its text: letterhead, signature, signatory,
    the prefix of its reference numbers. Images are stored as the portal re-encoded them, privately."""

    workshop = models.OneToOneField(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="letter_settings"
    )
    letterhead = models.FileField(
        _("letterhead"),
        storage=private_storage,
        upload_to="letters/",
        blank=True,
        help_text=_("A PNG or JPEG picture printed across the top of every letter, at most 2 MB."),
    )
    signature = models.FileField(
        _("signature"),
        storage=private_storage,
        upload_to="letters/",
        blank=True,
        help_text=_("A PNG or JPEG picture of the signature (and seal), at most 2 MB."),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_title = models.CharField(
        _("signatory's title"), max_length=255, blank=True, help_text=_("In English, e.g. Director General.")
    )
    signatory_name_fr = models.CharField(_("signatory's name in French"), max_length=200, blank=True)
    signatory_title_fr = models.CharField(_("signatory's title in French"), max_length=255, blank=True)
    signatory_name_ar = models.CharField(_("signatory's name in Arabic"), max_length=200, blank=True)
    signatory_title_ar = models.CharField(_("signatory's title in Arabic"), max_length=255, blank=True)
    signatory_name_ru = models.CharField(_("signatory's name in Russian"), max_length=200, blank=True)
    signatory_title_ru = models.CharField(_("signatory's title in Russian"), max_length=255, blank=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=40,
        blank=True,
        help_text=_("Begins every letter's reference number, e.g. OIC-CA/2012."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter settings")
        verbose_name_plural = _("letter settings")
        ordering = ["-workshop__start_date"]

    def __str__(self):
        return str(self.workshop)

    def signatory(self, language: str) -> tuple[str, str]:
        """(name, title) in `language`; an empty form there falls back to the English one."""
        if language in OTHER_LANGUAGES:
            return (
                getattr(self, f"signatory_name_{language}") or self.signatory_name,
                getattr(self, f"signatory_title_{language}") or self.signatory_title,
            )
        return self.signatory_name, self.signatory_title


class LetterText(models.Model):
    """The text of one kind of letter in one language, Markdown with a fixed set of placeholders."""

    settings = models.ForeignKey(
        LetterSettings, verbose_name=_("letter settings"), on_delete=models.CASCADE, related_name="texts"
    )
    kind = models.CharField(_("letter"), max_length=16, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown (paragraphs, emphasis, lists). Placeholders in braces are replaced in each letter, "
            "e.g. {state}; any other text in braces is refused."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        ordering = ["settings", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "kind", "language"],
                name="letter_text_one_per_kind_and_language",
                violation_error_message=_("This letter already has a text in this language."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_language_display()})"


class VisaLetterRequest(models.Model):
    """An approved delegate's request for a visa support letter, with their passport details.

    Sensitive: shown only to the delegate and, in the admin, to those who hold
    delegations.view_visaletterrequest; never in lists, exports or logs (its text form names no
    passport detail). Editable by the delegate until the letter is issued.
    """

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="visa_letter_request",
    )
    passport_name = models.CharField(
        _("name as in the passport"), max_length=200, help_text=_("Exactly as printed in the passport.")
    )
    nationality = CountryField(_("nationality"))
    passport_number = models.CharField(_("passport number"), max_length=20)
    passport_expiry = models.DateField(_("passport expiry date"))
    stay_from = models.DateField(_("stay from"))
    stay_to = models.DateField(_("stay until"))
    status = models.CharField(
        _("status"), max_length=16, choices=VisaRequestStatus.choices, default=VisaRequestStatus.REQUESTED
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("visa letter request")
        verbose_name_plural = _("visa letter requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay_to__gte=models.F("stay_from")),
                name="visa_request_stay_ordered",
                violation_error_message=_("The stay cannot end before it begins."),
            ),
        ]

    def __str__(self):
        # No passport detail: this text reaches the admin's history and messages.
        return _("Visa letter request #%(number)s") % {"number": self.pk or "-"}

    @property
    def is_editable(self) -> bool:
        return self.status == VisaRequestStatus.REQUESTED
