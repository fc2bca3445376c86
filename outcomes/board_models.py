"""The cooperation board: what Central Asian delegations need and what partners offer, by sector."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.followup_enums import OfferModality, Sector
from workshop_portal.models import Workshop, institution_link, member_state_link


class BoardPost(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="+")
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    description = models.TextField(_("description"), max_length=4000)
    contact = models.CharField(_("contact point"), max_length=255, help_text=_("Name, position and email address."))
    member_state = member_state_link()
    institution = institution_link()
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Hidden by the organisers: no participant sees it.")
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["sector", "-created_at", "-pk"]

    @property
    def party(self) -> str:
        return str(self.member_state or self.institution or "")


class CooperationNeed(BoardPost):
    """What a Central Asian state asks for."""

    class Meta(BoardPost.Meta):
        verbose_name = _("cooperation need")
        verbose_name_plural = _("cooperation needs")

    def __str__(self):
        return f"{self.party} · {self.get_sector_display()}"


class CooperationOffer(BoardPost):
    """What a partner member state or institution offers."""

    capacity = models.CharField(
        _("capacity"), max_length=255, help_text=_("What it can take on, e.g. 20 trainees a year, two experts.")
    )
    modality = models.CharField(_("modality"), max_length=16, choices=OfferModality.choices)

    class Meta(BoardPost.Meta):
        verbose_name = _("cooperation offer")
        verbose_name_plural = _("cooperation offers")

    def __str__(self):
        return f"{self.party} · {self.get_sector_display()} · {self.get_modality_display()}"
