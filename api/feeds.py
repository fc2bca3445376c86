"""The schedule feeds' responses: kept in the page cache with their ETag and Last-Modified, and a
304 Not Modified to a client that already has this version."""

import datetime
import hashlib
from collections.abc import Callable

from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from workshop_portal.page_cache import ALL, WORKSHOPS, cached, page_key, workshop_scope


def conditional_feed(
    request,
    *,
    workshop,
    name: str,
    content_type: str,
    render: Callable[[], tuple[bytes, datetime.datetime]],
    filename: str | None = None,
) -> HttpResponseBase:
    """The feed `render()` makes (its body and when what it shows last changed), from the cache
    while nothing it shows has changed; 304 when the client's If-None-Match or If-Modified-Since
    names this version."""

    def compute():
        body, last_modified = render()
        return (body, quote_etag(hashlib.sha256(body).hexdigest()[:32]), last_modified.timestamp()), None

    key = page_key("feed", name, workshop.pk, request.scheme, request.get_host())
    body, etag, last_modified = cached(key, (workshop_scope(workshop.pk), WORKSHOPS, ALL), compute)
    response = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if response is None:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Public, and revalidated on every use: a change shows at the next poll.
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
