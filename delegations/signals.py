"""Invitations opened before signing up or in are taken up at the sign-in that follows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext as _

visa_request_saved = Signal()
"""A delegate asked for a visa support letter, changed or renewed the request (`visa_request`), inside
the transaction that saved it: the documents app issues the letter once it commits."""

visa_request_withdrawn = Signal()
"""A delegate withdrew their request (`visa_request`, `by`), inside that transaction: the documents
app revokes its letter in it."""

PENDING_INVITATIONS = "delegations.invitations"
"""Session key: the invitations opened before signing up or in, taken up at the next sign-in."""


def take_up_pending_invitations(sender, request, user, **kwargs):
    from delegations.services import focal_point_accept
    from delegations.signals import PENDING_INVITATIONS

    if request is None or not hasattr(request, "session"):
        return
    for token in request.session.pop(PENDING_INVITATIONS, []):
        try:
            focal_point = focal_point_accept(token=token, user=user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("You are now a focal point of %(delegation)s.") % {"delegation": focal_point.delegation.name},
            )
