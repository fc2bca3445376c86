"""Every email the portal sends, built one way: in the recipient's language, from the portal by
name, with a plain-text and an HTML part, its links on the portal's public address.

An email is two templates named like allauth's, `<name>_subject.txt` and `<name>_message.txt`, so
that the account emails (workshop_portal/account_adapter.py) come through here as well. The text
is the source: the HTML part is that same text laid out in `workshop_portal/email/base_message.html` (paragraphs
kept, addresses made links), so the two parts never say different things and no sender can
forget one. Both are rendered under the recipient's language, whatever the page that caused them.

Nothing here sends: every email is queued in the outbox (communications.services.email_queue), which
records it and sends it from a worker; account emails go through `send_now`, which the outbox fills.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe


def portal_url(location: str = "/") -> str:
    """`location` (a path such as reverse() gives) on the portal's public address, PORTAL_BASE_URL:
    the same in a web process, a worker and a management command, none of which has to be
    reached through that address itself."""
    if "://" in location:
        return location
    return settings.PORTAL_BASE_URL + "/" + location.lstrip("/")


def portal_name() -> str:
    """The portal's name in the active language (PORTAL_NAME, translated when it is the default)."""
    return str(settings.PORTAL_NAME)


def from_address() -> str:
    """DEFAULT_FROM_EMAIL, shown under the portal's name unless it names a sender of its own."""
    name, address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    return formataddr((name or portal_name(), address))


def portal_email(
    *,
    to: list[str],
    language: str,
    template: str,
    context: dict,
    subject_template: str | None = None,
    headers: dict | None = None,
    reply_to: str = "",
    automatic: bool = True,
) -> EmailMultiAlternatives:
    """The email `template` (`<template>_message.txt`, and `<template>_subject.txt` unless
    `subject_template` is given) to `to`, rendered in `language`. The portal queues it in its
    outbox (communications.services.email_queue), which sends it from a worker and records it.

    `reply_to`: where an answer goes (the workshop's organisers); `automatic`: marked
    `Auto-Submitted: auto-generated` (RFC 3834), so that mail systems send no vacation replies
    to it, which every email the portal writes by itself is."""
    with translation.override(language):
        context = {**context, "portal_name": portal_name(), "portal_url": portal_url("/")}
        subject = render_to_string(subject_template or f"{template}_subject.txt", context)
        # One line, whatever the template's layout (and its no-break spaces, French has them, kept).
        subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
        body = render_to_string(f"{template}_message.txt", context).strip()
        text = render_to_string("workshop_portal/email/base_message.txt", {**context, "body": body})
        html = render_to_string(
            "workshop_portal/email/base_message.html",
            # The text, escaped, with its addresses as links and its blank lines as paragraphs.
            {**context, "subject": subject, "body": mark_safe(linebreaks(urlize(body, autoescape=True)))},
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=from_address(),
            to=to,
            reply_to=[reply_to] if reply_to else None,
            headers={
                "Content-Language": translation.get_language(),
                **({"Auto-Submitted": "auto-generated"} if automatic else {}),
                **(headers or {}),
            },
        )
    message.attach_alternative(html, "text/html")
    return message


def reply_to_address(workshop=None) -> str:
    """Where answers to the portal's emails go: the workshop's organisers (Workshop.contact_email),
    else PORTAL_REPLY_TO, else nowhere but the sender."""
    address = getattr(workshop, "contact_email", "") if workshop is not None else ""
    return address or str(settings.PORTAL_REPLY_TO or "")


# --- Emails sent at once (account emails) ----------------------------------------------------

# Set by the outbox (communications/, above this layer) when it is installed: it records the email
# and sends it. Without it, the email is simply sent.
_send_now = None


def send_now_register(sender) -> None:
    """`sender(message, *, kind, language, user, secrets)`: what `send_now` hands emails to."""
    global _send_now
    _send_now = sender


def send_now(message: EmailMultiAlternatives, *, kind: str, language: str, user=None, secrets=()) -> None:
    """Send `message` at once from this process (a person waits for it), recorded by the outbox
    with each of `secrets` (one-time links, codes) cut out of what it keeps."""
    if _send_now is None:
        message.send()
        return
    _send_now(message, kind=kind, language=language, user=user, secrets=secrets)
