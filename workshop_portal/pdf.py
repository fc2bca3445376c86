"""HTML to PDF with WeasyPrint, allowed to read nothing but the project's own static files.

User text reaches these templates (names, abstracts, reports): the URL fetcher refuses
`file://`, the network and anything else, so a crafted `<img src>` cannot read the disk or
call out. Stylesheets and fonts under STATIC_URL are read through the staticfiles finders.
"""

import base64
import io
import mimetypes
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcherResponse

# WeasyPrint resolves relative URLs against this made-up origin; only it is served.
PDF_BASE_URL = "https://pdf.invalid/"


class ForbiddenResourceError(ValueError):
    pass


class StaticOnlyURLFetcher(weasyprint.URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        if f"{parts.scheme}://{parts.netloc}/" != PDF_BASE_URL or not parts.path.startswith(prefix):
            raise ForbiddenResourceError(f"PDF rendering may not fetch {url!r}")
        relative = unquote(parts.path[len(prefix) :])
        if ".." in relative.split("/"):
            raise ForbiddenResourceError(f"PDF rendering may not fetch {url!r}")
        path = finders.find(relative)
        if not path:
            raise ForbiddenResourceError(f"No static file {relative!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def html_render(html: str):
    """A laid-out WeasyPrint document: its pages know where each anchor (HTML id) landed."""
    return weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyURLFetcher()).render()


def html_to_pdf(html: str) -> bytes:
    return html_render(html).write_pdf()


def anchor_pages(document) -> dict[str, int]:
    """The page index (from 0) on which each anchor of a rendered document starts."""
    pages = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            pages.setdefault(anchor, index)
    return pages


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI, for an <img> in a PDF (badges, verifiable documents)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def qr_png(text: str, *, box_size: int = 8) -> bytes:
    """A QR code of `text` as a black-and-white PNG (one pixel square per `box_size`), for documents
    whose QR code a test reads back from the PDF, pixel for pixel."""
    image = qrcode.make(text, box_size=box_size, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def png_data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()
