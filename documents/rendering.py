"""A document as a PDF: its kind's template in the holder's language (WeasyPrint, A4), with the
verification code in text and as a QR code leading to the public /verify/<code>/ page."""

import base64
import datetime
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from delegations.letters import letter_kit
from documents.kinds import KindSpec, Target
from workshop_portal.dates import format_day, format_day_range
from workshop_portal.models import Workshop
from workshop_portal.pdf import html_to_pdf, png_data_uri, qr_png

logger = logging.getLogger(__name__)


def verify_url(code: str) -> str:
    """The absolute address printed on the document (PORTAL_BASE_URL: the same in a worker as on the web)."""
    return settings.PORTAL_BASE_URL + reverse("documents:verify", kwargs={"code": code})


def _image_data_uri(file) -> str:
    """A stored PNG or JPEG (re-encoded by the portal on upload) as a data URI; "" when unreadable."""
    if not file:
        return ""
    try:
        with file.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.warning("letter image %s cannot be read", file.name)
        return ""
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64," + base64.b64encode(data).decode()


def document_branding(workshop: Workshop) -> dict:
    """The letterhead and the signature of the workshop's documents, for the base template's blocks:
    `letterhead` and `signature` (image data URIs), `signatory_name`, `signatory_title` in the active
    language. They come from the workshop's letter settings (delegations' LetterSettings); a part the
    workshop has not set is empty, and the base template then prints nothing for it. The images are read
    once per workshop instance (kept with its letter kit), however many documents a batch renders."""
    kit = letter_kit(workshop)
    images = getattr(kit, "_document_images", None)
    if images is None:
        images = (_image_data_uri(kit.settings.letterhead), _image_data_uri(kit.settings.signature))
        kit._document_images = images
    name, title = kit.settings.signatory(translation.get_language() or settings.LANGUAGE_CODE)
    return {"letterhead": images[0], "signature": images[1], "signatory_name": name, "signatory_title": title}


def document_render(
    *, spec: KindSpec, target: Target, workshop: Workshop, code: str, issued_at: datetime.datetime
) -> bytes:
    url = verify_url(code)
    with translation.override(target.language):
        context = {
            "workshop": workshop,
            "target": target,
            "kind_label": spec.label,
            "code": code,
            "verify_url": url,
            "qr": png_data_uri(qr_png(url)),
            "issued_on": format_day(issued_at.astimezone(workshop.tzinfo).date()),
            "workshop_dates": format_day_range(workshop.start_date, workshop.end_date),
            **document_branding(workshop),
        }
        if spec.context is not None:
            context.update(spec.context(workshop, target))
        html = render_to_string(spec.template, context)
    return html_to_pdf(html)
