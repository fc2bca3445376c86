"""Series of workshops, and the special session's recommendations followed up with dated updates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.followup_enums import AddresseeKind, FollowUpStatus, Priority
from sessions.models import WorkingSession
from workshop_portal.models import Workshop, institution_link, member_state_link


class WorkshopSeries(models.Model):
    """Workshops of the same secretariat, one after another: the next reviews the recommendations of the last."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in addresses of the public tracker."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("workshop series")
        verbose_name_plural = _("workshop series")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SeriesMembership(models.Model):
    """A workshop's place in a series (kept here, so the shared Workshop model needs no migration)."""

    series = models.ForeignKey(
        WorkshopSeries, verbose_name=_("series"), on_delete=models.CASCADE, related_name="memberships"
    )
    workshop = models.OneToOneField(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="series_membership"
    )

    class Meta:
        verbose_name = _("workshop of a series")
        verbose_name_plural = _("workshops of a series")
        ordering = ["series", "workshop__start_date"]

    def __str__(self):
        return f"{self.series}: {self.workshop}"


class Recommendation(models.Model):
    """One item of the special session's conclusions, addressed to someone and followed up until the next workshop."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Its place in the list of the workshop."))
    text = models.TextField(_("recommendation"))
    addressee_kind = models.CharField(_("addressed to"), max_length=16, choices=AddresseeKind.choices)
    member_state = member_state_link(related_name="recommendations")
    institution = institution_link(related_name="recommendations")
    session = models.ForeignKey(
        WorkingSession,
        verbose_name=_("country session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text=_("The country working session it comes from, if any."),
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    # The latest follow-up, kept here by recommendation_post_update so a tracker reads it without a subquery.
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.AGREED, editable=False
    )
    status_on = models.DateField(_("status as of"), null=True, blank=True, editable=False)
    need = models.ForeignKey(
        "outcomes.CooperationNeed",
        verbose_name=_("from the need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    offer = models.ForeignKey(
        "outcomes.CooperationOffer",
        verbose_name=_("from the offer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["workshop", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(addressee_kind=AddresseeKind.MEMBER_STATE, member_state__isnull=False, institution=None)
                    | models.Q(addressee_kind=AddresseeKind.INSTITUTION, institution__isnull=False, member_state=None)
                    | models.Q(
                        addressee_kind__in=[AddresseeKind.OIC_BODIES, AddresseeKind.ALL],
                        member_state=None,
                        institution=None,
                    )
                ),
                name="recommendation_addressee_matches_kind",
                violation_error_message=_(
                    "Name the member state or the institution addressed, and only for those kinds of addressee."
                ),
            ),
            models.UniqueConstraint(
                fields=["workshop", "number"],
                name="recommendation_number_unique_in_workshop",
                violation_error_message=_("This workshop already has a recommendation with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @property
    def addressee(self) -> str:
        if self.member_state_id:
            return str(self.member_state)
        if self.institution_id:
            return str(self.institution)
        return str(self.get_addressee_kind_display())


class RecommendationUpdate(models.Model):
    """A dated follow-up: what the addressee or the organisers report, and the status it leaves the item in."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=16, choices=FollowUpStatus.choices)
    on = models.DateField(_("as of"))
    note = models.TextField(_("what happened"), max_length=4000)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_as = models.CharField(_("posted as"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        ordering = ["recommendation", "-on", "-pk"]

    def __str__(self):
        return f"{self.recommendation_id} · {self.on} · {self.get_status_display()}"
