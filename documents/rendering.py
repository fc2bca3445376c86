"""A document as a PDF: its kind's template in the holder's language (WeasyPrint, A4), with the
verification code in text and as a QR code leading to the public /verify/<code>/ page."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from documents.kinds import KindSpec, Target
from workshop_portal.dates import format_day, format_day_range
from workshop_portal.models import Workshop
from workshop_portal.pdf import html_to_pdf, png_data_uri, qr_png


def verify_url(code: str) -> str:
    """The absolute address printed on the document (PORTAL_BASE_URL: the same in a worker as on the web)."""
    return settings.PORTAL_BASE_URL + reverse("documents:verify", kwargs={"code": code})


def document_branding(workshop: Workshop) -> dict:
    """The letterhead and the signature of the workshop's documents, for the base template's blocks:
    `letterhead` and `signature` (image data URIs), `signatory_name`, `signatory_title`. Empty until the
    workshop carries them (the letters' work adds them): the base template then prints neither."""
    return {}


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
