"""Text written once per language of the portal (a workshop speaks all of them: workshop_languages)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("en", "fr", "ar", "ru")


def in_language(obj, stem: str, language: str | None = None) -> str:
    """`obj.<stem>_<language>`, the portal's default language's when that one is empty."""
    code = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{stem}_{code}", "") or getattr(obj, f"{stem}_{settings.LANGUAGE_CODE}", "")


def require_every_language(obj, stem: str) -> None:
    """Every language of the workshop must have the text: a participant reads it in theirs."""
    missing = [code for code in LANGUAGE_CODES if not (getattr(obj, f"{stem}_{code}", "") or "").strip()]
    if missing:
        raise ValidationError(
            {f"{stem}_{code}": _("Write this text in every language of the workshop.") for code in missing}
        )


class LabelFields(models.Model):
    """A short text in each language: a choice offered."""

    label_en = models.CharField(_("label in English"), max_length=200)
    label_fr = models.CharField(_("label in French"), max_length=200)
    label_ar = models.CharField(_("label in Arabic"), max_length=200)
    label_ru = models.CharField(_("label in Russian"), max_length=200)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        return in_language(self, "label")

    def clean(self):
        require_every_language(self, "label")


class QuestionTextFields(models.Model):
    """A question's wording in each language."""

    text_en = models.CharField(_("question in English"), max_length=500)
    text_fr = models.CharField(_("question in French"), max_length=500)
    text_ar = models.CharField(_("question in Arabic"), max_length=500)
    text_ru = models.CharField(_("question in Russian"), max_length=500)

    class Meta:
        abstract = True

    @property
    def text(self) -> str:
        return in_language(self, "text")

    def clean(self):
        require_every_language(self, "text")
