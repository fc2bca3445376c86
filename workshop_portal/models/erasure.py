"""A person's request to be erased: the model the privacy app (privacy/) acts on.

It stays in this app because its app label is part of interfaces: the admin's URLs and names
(admin:workshop_portal_erasurerequest_*), the permissions the roles hold, the table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workshop_portal.enums import ErasureStatus


class ErasureRequest(models.Model):
    """A person's request that the portal erase their account and personal data.

    The organisers carry it out (or refuse it) in the admin; `privacy.erasure` does the
    erasure. Once carried out, the row keeps only the dates and who decided: the proof it was done.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
    )
    email = models.EmailField(_("email address"), help_text=_("The account's address when the request was made."))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ErasureStatus.choices, default=ErasureStatus.REQUESTED
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("For the organisers, and shown to the person: why it was refused, say.")
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status=ErasureStatus.REQUESTED),
                name="erasure_request_one_open_per_user",
                violation_error_message=_("You have already asked for your data to be erased."),
            ),
        ]

    def __str__(self):
        return str(_("Erasure request %(number)s") % {"number": self.pk})

    @property
    def is_open(self):
        return self.status == ErasureStatus.REQUESTED
