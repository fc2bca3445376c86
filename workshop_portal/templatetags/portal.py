"""The portal's own template tags: status badges, and dates and times the reader's way
(every date, range and time of a page, an email or a PDF goes through workshop_portal/dates.py).

    {{ workshop.start_date|day_range:workshop.end_date }}   22–23 февраля 2012 г.
    {{ session.date|day_with_weekday }}                     среда, 22 февраля 2012 г.
    {{ registration.arrival_date|day }}                     22 февраля 2012 г.
    {{ session.date|day_short }}                            22 февр.
    {{ workshop.upload_deadline|with_zone:workshop.time_zone }}
                                                            22 февраля 2012 г., 09:30 (Europe/Istanbul, GMT+02:00)
    {{ workshop.time_zone|zone:workshop.start_date }}       Europe/Istanbul, GMT+02:00
"""

import functools

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

from workshop_portal import dates

register = template.Library()

# One colour per status across the portal (registrations, presentations, builds).
STATUS_CLASSES = {
    "submitted": "text-bg-info",
    "approved": "text-bg-success",
    "accepted": "text-bg-success",
    "ready": "text-bg-success",
    "final": "text-bg-success",
    "converted": "text-bg-success",
    "waitlisted": "text-bg-warning",
    "queued": "text-bg-secondary",
    "running": "text-bg-primary",
    "pending": "text-bg-secondary",
    "draft": "text-bg-light border",
    "declined": "text-bg-danger",
    "rejected": "text-bg-danger",
    "failed": "text-bg-danger",
    "cancelled": "text-bg-dark",
    "withdrawn": "text-bg-dark",
}


@register.simple_tag
def status_badge(value, label):
    """A coloured badge for a status: `{% status_badge obj.status obj.get_status_display %}`. One
    format_html rather than a template of its own: a page shows one per registration, presentation
    and file, and each included template costs a context and a render."""
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        STATUS_CLASSES.get(str(value), "text-bg-secondary"),
        value,
        label,
    )


def status_badge_html(value, label) -> str:
    """The same badge for admin list columns, which render HTML rather than templates."""
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASSES.get(str(value), "text-bg-secondary"), label)


def _or_empty(function):
    # An empty date (an optional field) shows as nothing, like Django's |date. functools.wraps
    # lets Django count the arguments of the function itself.
    @functools.wraps(function)
    def filter_function(value, *args):
        return function(value, *args) if value not in (None, "") else ""

    return filter_function


register.filter("day", _or_empty(dates.format_day))
register.filter("day_with_weekday", _or_empty(dates.format_day_with_weekday))
register.filter("day_short", _or_empty(dates.format_day_short))
register.filter("day_range", _or_empty(dates.format_day_range))
register.filter("with_zone", _or_empty(dates.format_datetime_with_zone))
register.filter("zone", _or_empty(dates.format_zone))


# --- The language switcher of every page (templates/base.html) ------------------------------------


@functools.cache
def _language_switcher(current: str, languages: tuple) -> tuple[str, str]:
    """(the current language's name, the menu's items) for a page in `current`: the same on every
    page of that language, so worked out once a process rather than by two template loops over the
    languages on every request."""
    infos = [get_language_info(code) for code, _name in languages]
    name = next(
        (format_html('<span lang="{}">{}</span>', info["code"], capfirst(info["name_local"])) for info in infos
         if info["code"] == current),
        "",
    )  # fmt: skip
    items = "".join(
        format_html(
            '\n<li><button type="submit" name="language" value="{}" lang="{}" class="dropdown-item{}"{}>'
            "{}</button></li>",
            info["code"],
            info["code"],
            " active" if info["code"] == current else "",
            mark_safe(' aria-current="true"') if info["code"] == current else "",
            capfirst(info["name_local"]),
        )
        for info in infos
    )
    return name, items


@register.simple_tag
def current_language_name() -> str:
    """`<span lang="fr">Français</span>`: the page's language in its own name."""
    return mark_safe(_language_switcher(get_language(), tuple(settings.LANGUAGES))[0])


@register.simple_tag
def language_menu_items() -> str:
    """The language switcher's items: a submit button per language, the page's own marked current."""
    return mark_safe(_language_switcher(get_language(), tuple(settings.LANGUAGES))[1])


# --- The header of every page (templates/base.html) -----------------------------------------------

# Stand-ins for what is a visitor's own in the header, put in after rendering: long and plain, so
# that escaping leaves them unchanged and no translation contains them.
_CSRF_SLOT = "portal-header-csrf-slot-5b0f9e"
_EMAIL_SLOT = "portal-header-email-slot-5b0f9e"
_PATH_SLOT = "portal-header-path-slot-5b0f9e"


class _HeaderUser:
    """What templates/workshop_portal/_header.html reads of the visitor."""

    def __init__(self, is_authenticated: bool, is_staff: bool):
        self.is_authenticated = is_authenticated
        self.is_staff = is_staff
        self.email = _EMAIL_SLOT


class _HeaderRequest:
    @staticmethod
    def get_full_path() -> str:
        return _PATH_SLOT


def _render_header(language: str, script_prefix: str, signed_in: bool, staff: bool) -> str:
    """The header of a page in `language` for an anonymous visitor, a signed-in one or a member of
    staff, with stand-ins for the CSRF token, the email address and the page's path. The same for
    every page of its kind: its translations, links and the language menu cost some forty
    template nodes, rendered here once a process instead of on every request."""
    context = {"user": _HeaderUser(signed_in, staff), "csrf_token": _CSRF_SLOT, "request": _HeaderRequest()}
    return render_to_string("workshop_portal/_header.html", context).strip()


_rendered_header = functools.cache(_render_header)


@register.simple_tag(takes_context=True)
def portal_header(context) -> str:
    """The page's `<header>` (navigation, sign-in or sign-out, the language switcher)."""
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    render = _render_header if settings.DEBUG else _rendered_header  # template edits show at once when debugging
    html = render(get_language(), get_script_prefix(), signed_in, signed_in and bool(user.is_staff))
    request = context.get("request")
    token = context.get("csrf_token")
    # As {% csrf_token %} has it: no field without a token.
    field = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    if not token or token == "NOTPROVIDED":
        field = ""
    slot_field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_CSRF_SLOT}">'
    html = html.replace(slot_field, field).replace(
        _PATH_SLOT, conditional_escape(request.get_full_path()) if request else ""
    )
    if signed_in:
        html = html.replace(_EMAIL_SLOT, conditional_escape(user.email))
    return mark_safe(html)
