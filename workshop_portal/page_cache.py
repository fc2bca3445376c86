"""Cached renderings that are never stale, kept under version stamps.

The pages most people read and few change (a workshop's programme and calendar, the list of
workshops, the list of participants, a delegate's own dashboard) keep what they render in the
cache together with the stamps of the scopes it was made from:

- ALL: what any page may show of shared records: member states, institutions, people's names
  and roles, permissions, erasures;
- WORKSHOPS: any workshop, working session or segment (titles, dates, windows, rapporteurs);
- workshop_scope(pk): one workshop's programme and people: its sessions, segments,
  presentations and registrations;
- person_scope(pk): one person's own registrations, presentations and uploaded files;
- PROCEEDINGS: any proceedings build (requested, published, deleted). A build under way changes
  in place without a signal: what shows one is kept only until it ends (its `valid_until`).

Saving or deleting any of these puts a new stamp on each scope it touches, at once and again
when the transaction commits, so that a rendering made in between from the rows of before the
commit is not kept under the stamp that follows. A cached value is used only while each of its
stamps is still current and its clock has not run out (`valid_until`: the next moment the page
changes by itself, such as registration opening). Writes that bypass the signals
(queryset.update) call `changed()` themselves; any other is caught up by the cache timeout,
PAGE_CACHE_SECONDS.

With Redis as the cache every web process sees a change at once; with the local-memory cache of
the embedded mode only the process that made it (runserver has one), others within the timeout.
The cache is an accelerator: with Redis down the pages are rendered as if it were off.
"""

import datetime
import functools
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

ALL = "all"
WORKSHOPS = "workshops"
PROCEEDINGS = "proceedings"


def workshop_scope(workshop_id) -> str:
    return f"workshop:{workshop_id}"


def person_scope(user_id) -> str:
    return f"person:{user_id}"


def page_cache_seconds() -> int:
    return settings.PAGE_CACHE_SECONDS


def page_key(*parts) -> str:
    """A cache key for a rendering in the active language."""
    return ":".join(map(str, ("page", get_language(), *parts)))


@dataclass(frozen=True)
class Fragment:
    """A part of a page to take from the cache: its key, the scopes it shows and, when it changes
    with the clock, what tells the next moment it does (asked once it is rendered)."""

    key: str
    scopes: tuple[str, ...]
    valid_until: Callable[[], datetime.datetime | None] | None = None


def _stamp_key(scope: str) -> str:
    return f"stamp:{scope}"


def cached(key: str, scopes: Iterable[str], compute: Callable[[], tuple[Any, datetime.datetime | None]]):
    """The value kept under `key` while the stamps of `scopes` are those it was computed under,
    else `compute()`'s, kept. `compute` returns (value, valid_until or None)."""
    if not page_cache_seconds():
        return compute()[0]
    stamp_keys = [_stamp_key(scope) for scope in scopes]
    try:
        found = cache.get_many([key, *stamp_keys])
        missing = {stamp_key: uuid.uuid4().hex for stamp_key in stamp_keys if stamp_key not in found}
        if missing:
            cache.set_many(missing, timeout=None)
            found.update(missing)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return compute()[0]
    # The stamps are read before computing: a change made meanwhile leaves the value under an old stamp.
    stamps = tuple(found[stamp_key] for stamp_key in stamp_keys)
    entry = found.get(key)
    if entry is not None:
        entry_stamps, valid_until, value = entry
        if entry_stamps == stamps and (valid_until is None or timezone.now() < valid_until):
            return value
    value, valid_until = compute()
    try:
        cache.set(key, (stamps, valid_until, value), page_cache_seconds())
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
    return value


@functools.cache
def csrf_placeholder() -> str:
    """What stands for the CSRF token in a page cached for every anonymous visitor: never a real
    token, and the same in every web process of the deployment, as they share the cache."""
    return "csrf-placeholder-" + salted_hmac("workshop_portal.page_cache", "csrf-placeholder").hexdigest()[:32]


def shared_with_every_anonymous_visitor(request) -> bool:
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


def anonymous_page(request, *, key: str, scopes: Iterable[str], render: Callable[..., tuple[str, Any]]):
    """The page every anonymous visitor gets, from the cache, or None for a visitor with something
    of their own on it (render it for them). `render(csrf_token=...)` returns (html, valid_until)."""
    if not page_cache_seconds() or not shared_with_every_anonymous_visitor(request):
        return None
    html = cached(key, scopes, partial(render, csrf_token=csrf_placeholder()))
    # get_token() also has CsrfViewMiddleware set this visitor's cookie, as {% csrf_token %} would.
    return HttpResponse(html.replace(csrf_placeholder(), get_token(request)))


def changed(*scopes: str) -> None:
    """What the scopes show has changed: stamped now, and again once the transaction commits."""
    stamp(scopes)
    transaction.on_commit(partial(stamp, scopes))


def stamp(scopes: Iterable[str]) -> None:
    try:
        cache.set_many({_stamp_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)
    except Exception:  # what is cached now expires within PAGE_CACHE_SECONDS
        logger.warning("page cache unavailable", exc_info=True)


# --- Who tells the cache: each app declares what its records touch --------------------------
#
# The cache knows no app above it: each app names, in its own page_cache.py (registered from its
# AppConfig.ready), the scopes a save or deletion of each of its models changes.


def person_scopes(user_ids: Iterable[int | None]) -> list[str]:
    """The person scopes of these users (None, a registration without an account, touches none)."""
    return [person_scope(user_id) for user_id in set(user_ids) if user_id is not None]


def invalidated_by(sender: str, scopes_of: Callable[[Any], Iterable[str]], *, ignoring: Iterable[str] = ()) -> None:
    """Declares that saving or deleting a `sender` ("app_label.Model") changes what the scopes
    `scopes_of(instance)` names show. A save that stamps only fields in `ignoring` changes nothing
    a page shows."""
    ignored = frozenset(ignoring)

    def receiver(sender, instance, update_fields=None, **kwargs):
        if ignored and update_fields is not None and set(update_fields) <= ignored:
            return
        scopes = list(scopes_of(instance))
        if scopes:
            changed(*scopes)

    uid = f"page-cache:{sender}"
    post_save.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
    post_delete.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)


def invalidated_by_membership(through, *scopes: str) -> None:
    """Declares that adding or removing rows of a many-to-many `through` model changes `scopes`."""

    def receiver(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            changed(*scopes)

    m2m_changed.connect(receiver, sender=through, dispatch_uid=f"page-cache:{through._meta.label}", weak=False)


def register() -> None:
    """This app's own records, from WorkshopPortalConfig.ready(): a workshop, and what any page may
    show of shared records (states, institutions, people, permissions, erasures)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    invalidated_by("workshop_portal.Workshop", lambda workshop: (WORKSHOPS, workshop_scope(workshop.pk)))
    shared_records = ("workshop_portal.MemberState", "workshop_portal.Institution", "workshop_portal.ErasureRequest")
    for shared in (*shared_records, "auth.Group"):
        invalidated_by(shared, lambda instance: (ALL,))
    # A sign-in only stamps last_login: nothing a page shows.
    invalidated_by("workshop_portal.User", lambda user: (ALL,), ignoring={"last_login"})
    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        invalidated_by_membership(through, ALL)
