"""Member states and institutions: who a delegation, a session or a presentation stands for."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from workshop_portal.enums import InstitutionKind


class MemberStateQuerySet(models.QuerySet):
    def central_asian(self):
        return self.filter(is_central_asian=True)


class MemberState(models.Model):
    """An OIC member state. Names come from django-countries, translated into the active language."""

    code = CountryField(_("ISO 3166 code"), unique=True)
    is_central_asian = models.BooleanField(
        _("Central Asian state"),
        default=False,
        help_text=_("One of the five Central Asian states, each of which owns a country working session."),
    )

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        ordering = ["code"]

    def __str__(self):
        return str(self.name)

    @property
    def name(self):
        return member_state_name(str(self.code))


def member_state_name(code: str) -> str:
    """The name of the member state of ISO code `code` in the active language, as MemberState.name
    has it, for pages that read codes as values and name a state per line."""
    return _country_name(code, get_language() or settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=1024)
def _country_name(code: str, language: str) -> str:
    """django-countries' name of `code` in `language` (the active one): it looks each one up in
    its table and the catalogue again on every call, and a programme or a list names a state per line."""
    return Country(code=code).name


# The languages besides English in which an institution may have an official name and acronym.
TRANSLATED_NAME_LANGUAGES = ("fr", "ar", "ru")
# The fields an institution's name and acronym in the reader's language come from (localized_name,
# short_name): a page that names many reads only these.
INSTITUTION_NAME_FIELDS = (
    "name", "acronym", *(f"{part}_{code}" for code in TRANSLATED_NAME_LANGUAGES for part in ("name", "acronym"))
)  # fmt: skip


class Institution(models.Model):
    """A public institution of a member state, an OIC institution or another international one."""

    name = models.CharField(pgettext_lazy("institution", "name"), max_length=255, help_text=_("The name in English."))
    acronym = models.CharField(_("acronym"), max_length=32, blank=True, help_text=_("The acronym in English."))
    # The official forms in the other languages of the portal, where the institution has them;
    # an empty one falls back to the English name or acronym.
    name_fr = models.CharField(_("name in French"), max_length=255, blank=True)
    acronym_fr = models.CharField(_("acronym in French"), max_length=32, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=255, blank=True)
    acronym_ar = models.CharField(_("acronym in Arabic"), max_length=32, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=255, blank=True)
    acronym_ru = models.CharField(_("acronym in Russian"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=InstitutionKind.choices)
    member_state = models.ForeignKey(
        MemberState,
        verbose_name=_("member state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        help_text=_("Required for a national public institution; empty for OIC and international ones."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="institution_name_unique_ci",
                violation_error_message=_("An institution with this name already exists."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=InstitutionKind.NATIONAL, member_state__isnull=False)
                    | (~models.Q(kind=InstitutionKind.NATIONAL) & models.Q(member_state__isnull=True))
                ),
                name="institution_national_has_member_state",
                violation_error_message=_(
                    "A national public institution belongs to a member state; "
                    "OIC and international institutions do not."
                ),
            ),
        ]

    def __str__(self):
        name, acronym = self._localized()
        if acronym:
            return f"{name} ({acronym})"
        return name

    def _localized(self) -> tuple[str, str]:
        """(name, acronym) in the active language.

        A language in which the institution has an official name uses that name with its own
        acronym, or none (the World Bank is "Banque mondiale", with no acronym, in French; Arabic
        rarely abbreviates). Otherwise the English name and acronym stand in every language.
        """
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language in TRANSLATED_NAME_LANGUAGES:
            name, acronym = getattr(self, f"name_{language}"), getattr(self, f"acronym_{language}")
            if name:
                return name, acronym
            return self.name, acronym or self.acronym
        return self.name, self.acronym

    @property
    def localized_name(self) -> str:
        """The name in the active language where the institution has an official form there, else in English."""
        return self._localized()[0]

    @property
    def localized_acronym(self) -> str:
        """The acronym that goes with `localized_name` (possibly empty)."""
        return self._localized()[1]

    @property
    def short_name(self):
        return self.localized_acronym or self.localized_name

    def clean(self):
        # Field-level messages for the admin form; the check constraint guards the database.
        if self.kind == InstitutionKind.NATIONAL and self.member_state_id is None:
            raise ValidationError({"member_state": _("Choose the member state this national institution belongs to.")})
        if self.kind and self.kind != InstitutionKind.NATIONAL and self.member_state_id is not None:
            raise ValidationError(
                {"member_state": _("Leave the member state empty for an OIC or international institution.")}
            )


# The member state or institution a row speaks for or is addressed to (a registration, a
# delegation, a document, a recommendation, a board post): the same optional link everywhere,
# which never lets a state or an institution be deleted from under it.


def _optional_link(to, verbose_name, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.PROTECT, null=True, blank=True, related_name=related_name
    )


def member_state_link(*, related_name: str = "+") -> models.ForeignKey:
    return _optional_link(MemberState, _("member state"), related_name)


def institution_link(*, related_name: str = "+") -> models.ForeignKey:
    return _optional_link(Institution, _("institution"), related_name)
