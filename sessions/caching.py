"""The programme, rendered once and kept in the cache until something it shows changes.

The programme section of a workshop's page and its ICS download cost far more to render than
the rest of the page (every session, segment and accepted presentation with its presenter's
delegation). Both are kept in the cache, and so is the whole page as an anonymous visitor sees
it (most of the traffic before a workshop): the same for every such visitor but for the CSRF
token of the language switcher, which is rendered as a placeholder and filled in per response.
The keys are made of the workshop, the language (and for the whole page its registration phase,
which moves with the clock), and two version stamps: the workshop's own, changed whenever one of its sessions, segments,
presentations or registrations (presenters' names and delegations), or the workshop itself, is
saved or deleted; and a global one for what every programme shows (member states,
institutions, people's names, erasures). A stamp changes at once and again when the transaction
commits, so a page rendered from the old rows is never kept under the last stamp. Writes that bypass the
signals (queryset.update) are caught up by the short timeout, PROGRAMME_CACHE_SECONDS.

With Redis as the cache, every web process sees a change at once; with the local-memory cache
of the embedded mode, only the process that made it (runserver has one): others within the
timeout.
"""

import logging
import secrets
import uuid
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from workshop_portal.models import Workshop

logger = logging.getLogger(__name__)

_GLOBAL = "all"
# Stands for the CSRF token in a cached page; random per process start, never a real token.
_CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"


# The cache is an accelerator: with Redis down the pages are rendered as if it were off.


def cache_get(key: str | None):
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        logger.warning("programme cache unavailable", exc_info=True)
        return None


def cache_set(key: str | None, value) -> None:
    if key is None:
        return
    try:
        cache.set(key, value, programme_cache_seconds())
    except Exception:
        logger.warning("programme cache unavailable", exc_info=True)


def _version_key(scope) -> str:
    return f"programme-version:{scope}"


def programme_cache_seconds() -> int:
    return settings.PROGRAMME_CACHE_SECONDS


def programme_cache_key(kind: str, workshop_id: int, *parts) -> str | None:
    """The key of a cached piece of a workshop's programme, in the active language, under the
    current stamps; None when the cache is off or cannot be reached (render it, keep nothing)."""
    if not programme_cache_seconds():
        return None
    keys = [_version_key(workshop_id), _version_key(_GLOBAL)]
    try:
        found = cache.get_many(keys)
        missing = {key: uuid.uuid4().hex for key in keys if key not in found}
        if missing:
            cache.set_many(missing, timeout=None)
            found.update(missing)
    except Exception:
        logger.warning("programme cache unavailable", exc_info=True)
        return None
    return ":".join(map(str, ("programme", kind, workshop_id, get_language(), found[keys[0]], found[keys[1]], *parts)))


def _shared_with_every_anonymous_visitor(request) -> bool:
    """A visitor who is not signed in and has nothing of their own on the page: no session (so no
    user and no messages stored there), no message in a cookie, no query string (the language
    switcher sends them back to this very path)."""
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def anonymous_programme_page(request, *, slug: str, render: Callable[..., str]) -> HttpResponse | None:
    """A published workshop's page as every anonymous visitor sees it, from the cache (filled by
    `render(csrf_token=...)`), or None for a visitor of their own (render it for them)."""
    if not programme_cache_seconds() or not _shared_with_every_anonymous_visitor(request):
        return None
    # Only what the key needs: the whole workshop is read when the page is rendered.
    workshop = get_object_or_404(
        Workshop.objects.published().only("pk", "registration_opens_at", "registration_closes_at"), slug=slug
    )
    key = programme_cache_key("page", workshop.pk, workshop.registration_phase, request.path)
    if key is None:
        return None
    html = cache_get(key)
    if html is None:
        html = render(csrf_token=_CSRF_PLACEHOLDER)
        cache_set(key, html)
    # get_token() also has CsrfViewMiddleware set this visitor's cookie, as {% csrf_token %} would.
    return HttpResponse(html.replace(_CSRF_PLACEHOLDER, get_token(request)))


def programme_changed(workshop_id=None) -> None:
    """A workshop's programme (or with None, every programme) has changed: stamped now, and again
    once the transaction commits, so that a page rendered in between from the rows of before the
    commit is not kept under the stamp that follows."""
    scope = _GLOBAL if workshop_id is None else workshop_id
    stamp_programme_version(scope)
    transaction.on_commit(partial(stamp_programme_version, scope))


def stamp_programme_version(scope) -> None:
    try:
        cache.set(_version_key(scope), uuid.uuid4().hex, timeout=None)
    except Exception:  # what is cached now expires within PROGRAMME_CACHE_SECONDS
        logger.warning("programme cache unavailable", exc_info=True)


def _workshop_saved(sender, instance, **kwargs):
    programme_changed(instance.pk)


def _part_saved(sender, instance, **kwargs):
    # Sessions, presentations and registrations carry their workshop.
    programme_changed(instance.workshop_id)


def _segment_saved(sender, instance, **kwargs):
    from sessions.models import WorkingSession

    workshop_id = WorkingSession.objects.filter(pk=instance.session_id).values_list("workshop_id", flat=True).first()
    if workshop_id is not None:
        programme_changed(workshop_id)


def _shared_saved(sender, instance, update_fields=None, **kwargs):
    # A sign-in only stamps last_login: nothing a programme shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    programme_changed(None)


def connect_signals() -> None:
    """From WorkingSessionsConfig.ready(). Senders are named, so this app imports none that builds on it."""
    receivers = {
        "workshop_portal.Workshop": _workshop_saved,
        "worksessions.WorkingSession": _part_saved,
        "worksessions.Segment": _segment_saved,
        "presentations.Presentation": _part_saved,
        "registrations.Registration": _part_saved,
        "workshop_portal.MemberState": _shared_saved,
        "workshop_portal.Institution": _shared_saved,
        "workshop_portal.User": _shared_saved,
        "workshop_portal.ErasureRequest": _shared_saved,
    }
    for sender, receiver in receivers.items():
        uid = f"programme-cache:{sender}"
        post_save.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
