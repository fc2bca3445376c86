"""Unsubscribing from optional (non-essential) email, by a signed link that needs no sign-in.

Every non-essential email carries a link to `communications:unsubscribe` with a token signed by
the portal's secret (django.core.signing) naming the address and the workshop it came from, and the
RFC 8058 headers (`List-Unsubscribe`, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`), so a
mail program can unsubscribe in one click. The outbox (services.email_queue) skips opted-out
addresses for non-essential emails; essential ones (decisions, deadlines) ignore the preference.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from communications.models import EmailOptOut
from workshop_portal.emails import portal_url

SALT = "communications.unsubscribe"


def unsubscribe_token(address: str, workshop_id: int | None) -> str:
    return signing.dumps({"a": address.lower(), "w": workshop_id}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[str, int | None]:
    """(address, workshop id or None) of a token; signing.BadSignature when it was not ours."""
    data = signing.loads(token, salt=SALT)
    return str(data["a"]), data.get("w")


def unsubscribe_url(address: str, workshop_id: int | None) -> str:
    return portal_url(
        reverse("communications:unsubscribe", kwargs={"signed_token": unsubscribe_token(address, workshop_id)})
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def opted_out(addresses, workshop_id: int | None) -> set[str]:
    """Which of `addresses` (lowercased) want no optional email from this workshop (or any)."""
    lowered = {address.lower() for address in addresses if address}
    if not lowered:
        return set()
    scope = Q(workshop__isnull=True) | (Q(workshop_id=workshop_id) if workshop_id else Q(pk__in=[]))
    return set(
        EmailOptOut.objects.annotate(lowered=Lower("address"))
        .filter(scope, lowered__in=lowered)
        .values_list("lowered", flat=True)
    )


def opt_out(address: str, workshop_id: int | None) -> bool:
    """Record that `address` wants no optional email (from `workshop_id`, or any). False when it
    was recorded already."""
    address = address.lower()
    exists = EmailOptOut.objects.annotate(lowered=Lower("address")).filter(lowered=address, workshop_id=workshop_id)
    if exists.exists():
        return False
    try:
        with transaction.atomic():
            EmailOptOut.objects.create(address=address, workshop_id=workshop_id)
    except IntegrityError:  # a second click at the same moment
        return False
    return True


def opt_in(address: str, workshop_id: int | None = None, *, everywhere: bool = False) -> int:
    """Take back the opt-out of `address` (from `workshop_id`; `everywhere`: every one of them)."""
    rows = EmailOptOut.objects.annotate(lowered=Lower("address")).filter(lowered=address.lower())
    if not everywhere:
        rows = rows.filter(workshop_id=workshop_id)
    deleted, _counts = rows.delete()
    return deleted


def opt_outs_of(address: str):
    """The opt-outs of `address`, with their workshops (the person's preferences page)."""
    return (
        EmailOptOut.objects.annotate(lowered=Lower("address"))
        .filter(lowered=address.lower())
        .select_related("workshop")
        .order_by("workshop_id")
    )


def opt_outs_carry_over(old_address: str, new_address: str) -> int:
    """A person changed their address: their opt-outs follow them (they are kept by address, as the
    unsubscribe links of emails already sent name it). How many the new address gained."""
    if not old_address or not new_address or old_address.lower() == new_address.lower():
        return 0
    return sum(opt_out(new_address, row.workshop_id) for row in opt_outs_of(old_address))


def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs) -> None:
    """allauth's `email_changed`: the primary address changed."""
    if from_email_address is not None and to_email_address is not None:
        opt_outs_carry_over(from_email_address.email, to_email_address.email)
