"""Invitation letters (notes verbales) and visa support letters: their texts, placeholders and
what a renderer needs for each letter. Pure reads: nothing here writes or renders a PDF.

A letter's text is Markdown written by the organisers with a fixed set of placeholders in braces
(`PLACEHOLDERS`). It is turned into HTML, sanitised, and only then are the placeholders replaced by
their values, HTML-escaped, in one pass: the text is never evaluated as a template or formatted
with str.format, so `{{ settings.SECRET_KEY }}` or `{0.__class__}` stay the literal text they are,
and a value that looks like a placeholder (a name "{holder}") is not replaced again.

API (for the documents app):

- `invitation_letter_targets(workshop)`: the delegations invited (seats > 0), in 3 queries;
- `invitation_letter_context(delegation, language, *, on=None)`: one invitation's context;
- `visa_letter_targets(workshop)`: the visa requests a letter is due for, in 3 queries;
- `visa_letter_context(visa_request, language, *, on=None)`: one visa letter's context;
- `letter_text_check(kind, body)`, `render_letter_body(body, values)`, `letter_preview(letter_text)`:
  the admin's check, the rendering, the admin's preview.

Both contexts hold `kind`, `language`, `direction`, `title`, `body_html` (SafeString),
`addressee`, `reference`, `letterhead`, `signature` (FieldFiles or None), `signatory_name`,
`signatory_title`, `place_text`, `date_text`. Contexts of targets from the same call share their
workshop's settings and texts (read once).
"""

import datetime
import re
import secrets

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from delegations import letter_defaults
from delegations.enums import VISA_LETTER_DUE, LetterKind
from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest
from delegations.models import Delegation
from registrations.enums import RegistrationStatus
from workshop_portal.bidi import isolate_text
from workshop_portal.dates import format_day, format_day_range
from workshop_portal.models import Workshop

COMMON_PLACEHOLDERS = ("state", "addressee", "workshop", "dates", "venue")
PLACEHOLDERS = {
    LetterKind.INVITATION: (*COMMON_PLACEHOLDERS, "seats", "nomination_deadline"),
    LetterKind.VISA: (
        *COMMON_PLACEHOLDERS,
        "holder",
        "passport_name",
        "nationality",
        "passport_number",
        "stay_from",
        "stay_to",
    ),
}
"""The placeholders each kind of letter may use; anything else in braces is refused on save."""

REQUIRED_PLACEHOLDERS = {LetterKind.INVITATION: ("state",), LetterKind.VISA: ("holder",)}
"""Without them a letter would not say whom it is for: a text missing one is refused on save."""

# What a letter's text may use: paragraphs, emphasis, lists, quotations, two levels of heading.
# Nothing that loads, links out or runs; no attribute at all.
ALLOWED_TAGS = {"h3", "h4", "p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote"}

# Anything in braces: a placeholder, or text the check refuses and the rendering keeps literal.
BRACED = re.compile(r"\{([^{}]*)\}")


def letter_languages() -> list[str]:
    """The languages letters are written in: the portal's (a workshop has no languages of its own)."""
    return [code for code, _name in settings.LANGUAGES]


def _checked_language(language: str) -> str:
    code = (language or "").split("-")[0]
    if code not in letter_languages():
        raise ValueError(f"Letters are written in {', '.join(letter_languages())}, not {language!r}.")
    return code


# Texts and their check


def letter_text_problems(kind: str, body: str) -> tuple[list[str], list[str]]:
    """(unknown placeholders, missing required ones) of a letter's text, each as written in braces."""
    allowed = PLACEHOLDERS[LetterKind(kind)]
    found = [match.group(1) for match in BRACED.finditer(body or "")]
    unknown = list(dict.fromkeys(f"{{{name}}}" for name in found if name not in allowed))
    missing = [f"{{{name}}}" for name in REQUIRED_PLACEHOLDERS[LetterKind(kind)] if name not in found]
    return unknown, missing


def letter_text_check(kind: str, body: str) -> None:
    """Refuse a text with a placeholder its kind of letter does not know, or without a required one."""
    unknown, missing = letter_text_problems(kind, body)
    errors = []
    if unknown:
        errors.append(
            ValidationError(
                _("Unknown placeholder: %(unknown)s. The placeholders of this letter are: %(allowed)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "allowed": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS[LetterKind(kind)]),
                },
                code="unknown_placeholder",
            )
        )
    if missing:
        errors.append(
            ValidationError(
                _("This letter must say whom it is for: add %(missing)s.") % {"missing": ", ".join(missing)},
                code="missing_placeholder",
            )
        )
    if errors:
        raise ValidationError(errors)


def render_letter_body(body: str, values: dict[str, str]) -> SafeString:
    """The text as sanitised HTML with its placeholders replaced by their values, escaped.

    Every braced item is set aside under a random token before Markdown and the sanitiser see the
    text; afterwards each token becomes its value (a known placeholder) or its own text (anything
    else), escaped, in one pass: a value is never read for placeholders again. Values are isolated
    the way the PDFs need (workshop_portal.bidi: every value in a right-to-left letter, a
    right-to-left value in any other), so a Latin name keeps its place in an Arabic sentence.
    """
    nonce = secrets.token_hex(8)
    replacements: dict[str, str] = {}

    def set_aside(match: re.Match) -> str:
        token = f"ltr{nonce}x{len(replacements)}x"
        name = match.group(1)
        replacements[token] = escape(isolate_text(values[name])) if name in values else escape(match.group(0))
        return token

    text = BRACED.sub(set_aside, body or "")
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    # Markdown's "#" headings become h3 and h4: the letter's page owns the others.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None, strip_comments=True)
    if replacements:
        html = re.sub(rf"ltr{nonce}x\d+x", lambda match: replacements.get(match.group(0), ""), html)
    return mark_safe(html)  # sanitised above; the values escaped


# A workshop's settings and texts, read once for all its letters


class LetterKit:
    """A workshop's letter settings and texts (its defaults where it has none), read in two queries."""

    def __init__(self, workshop: Workshop):
        self.workshop = workshop
        found = LetterSettings.objects.filter(workshop_id=workshop.pk).prefetch_related("texts").first()
        self.settings = found or LetterSettings(workshop=workshop, reference_prefix=default_reference_prefix(workshop))
        self.texts = {(t.kind, t.language): t.body for t in found.texts.all()} if found else {}

    def text(self, kind: str, language: str) -> str:
        return self.texts.get((kind, language)) or letter_defaults.default_text(kind, language)

    @property
    def prefix(self) -> str:
        return self.settings.reference_prefix or default_reference_prefix(self.workshop)


def letter_kit(workshop: Workshop) -> LetterKit:
    """The workshop's kit, kept on the workshop instance for the letters that follow."""
    kit = getattr(workshop, "_letter_kit", None)
    if kit is None:
        kit = LetterKit(workshop)
        workshop._letter_kit = kit
    return kit


def default_reference_prefix(workshop: Workshop) -> str:
    return f"{workshop.slug.upper()}"[:40]


def _letter_day(workshop: Workshop, on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate(timezone=workshop.tzinfo)


def _common_values(workshop: Workshop) -> dict[str, str]:
    """What every letter of the workshop says about it, in the active language."""
    return {
        "workshop": workshop.title,
        "dates": format_day_range(workshop.start_date, workshop.end_date),
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
    }


def _frame(kit: LetterKit, kind: str, language: str, on: datetime.date | None) -> dict:
    """The parts of a letter's context that do not depend on whom it is for."""
    signatory_name, signatory_title = kit.settings.signatory(language)
    return {
        "kind": kind,
        "language": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "title": str(LetterKind(kind).label),
        "letterhead": kit.settings.letterhead or None,
        "signature": kit.settings.signature or None,
        "signatory_name": signatory_name,
        "signatory_title": signatory_title,
        "place_text": kit.workshop.city,
        "date_text": format_day(_letter_day(kit.workshop, on)),
    }


# Invitation letters


def delegation_display_name(delegation: Delegation) -> str:
    """The state's name, or the institution's full name, in the active language."""
    if delegation.member_state_id:
        return str(delegation.member_state.name)
    return delegation.institution.localized_name


def delegation_addressee(delegation: Delegation, language: str) -> str:
    """The addressee its delegation names in `language`, else the default form of that language
    (the state's Ministry of Foreign Affairs, or the institution) with the name in that language."""
    own = delegation.addressee if language == "en" else getattr(delegation, f"addressee_{language}", "")
    if own:
        return own
    forms = letter_defaults.STATE_ADDRESSEE if delegation.member_state_id else letter_defaults.INSTITUTION_ADDRESSEE
    with translation.override(language):
        return forms.get(language, forms["en"]).replace("{name}", delegation_display_name(delegation))


def invitation_reference(delegation: Delegation, kit: LetterKit) -> str:
    return f"{kit.prefix}/INV/{delegation.pk:04d}"


def invitation_letter_targets(workshop: Workshop) -> list[Delegation]:
    """The delegations invited to the workshop (seats offered), states first, in three queries
    whatever their number; their contexts then read nothing more."""
    delegations = list(
        Delegation.objects.filter(workshop_id=workshop.pk, seats__gt=0)
        .select_related("member_state", "institution")
        .order_by("category", "member_state__code", "institution__name", "pk")
    )
    letter_kit(workshop)
    for delegation in delegations:
        delegation.workshop = workshop
    return delegations


def _invitation_values(delegation: Delegation, language: str) -> dict[str, str]:
    """The invitation's placeholder values, in the active language (`language`)."""
    workshop = delegation.workshop
    deadline = delegation.deadline.astimezone(workshop.tzinfo).date()
    return {
        **_common_values(workshop),
        "state": delegation_display_name(delegation),
        "addressee": delegation_addressee(delegation, language),
        "seats": str(delegation.seats),
        "nomination_deadline": format_day(deadline),
    }


def invitation_letter_context(delegation: Delegation, language: str, *, on: datetime.date | None = None) -> dict:
    """What the invitation letter (note verbale) of a delegation says in `language`; `on` is the
    letter's date (default: today at the venue)."""
    language = _checked_language(language)
    kit = letter_kit(delegation.workshop)
    with translation.override(language):
        values = _invitation_values(delegation, language)
        return {
            **_frame(kit, LetterKind.INVITATION.value, language, on),
            "body_html": render_letter_body(kit.text(LetterKind.INVITATION, language), values),
            "addressee": values["addressee"],
            "reference": invitation_reference(delegation, kit),
            "delegation": delegation,
        }


# Visa support letters


def visa_reference(visa_request: VisaLetterRequest, kit: LetterKit) -> str:
    return f"{kit.prefix}/VISA/{visa_request.pk:04d}"


def visa_letter_targets(workshop: Workshop) -> list[VisaLetterRequest]:
    """The visa requests a letter is due for (requested or issued, not withdrawn) of the workshop's
    approved delegates, by name, in three queries whatever their number."""
    requests = list(
        VisaLetterRequest.objects.filter(
            registration__workshop_id=workshop.pk,
            registration__status=RegistrationStatus.APPROVED,
            status__in=list(VISA_LETTER_DUE),
        )
        .select_related("registration__member_state", "registration__institution", "registration__user")
        .order_by("registration__participant_name", "pk")
    )
    letter_kit(workshop)
    for visa_request in requests:
        visa_request.registration.workshop = workshop
    return requests


def _represented(registration) -> str:
    """The state or the institution the delegate speaks for, in the active language."""
    if registration.institution_id and not registration.member_state_id:
        return registration.institution.localized_name
    if registration.member_state_id:
        return str(registration.member_state.name)
    return ""


def visa_letter_context(visa_request: VisaLetterRequest, language: str, *, on: datetime.date | None = None) -> dict:
    """What the visa support letter of a request says in `language` (passport details included:
    hand it only to the delegate, the organisers and the letter)."""
    language = _checked_language(language)
    registration = visa_request.registration
    workshop = registration.workshop
    kit = letter_kit(workshop)
    with translation.override(language):
        addressee = letter_defaults.VISA_ADDRESSEE.get(language, letter_defaults.VISA_ADDRESSEE["en"])
        values = {
            **_common_values(workshop),
            "state": _represented(registration),
            "addressee": addressee,
            "holder": registration.display_name,
            "passport_name": visa_request.passport_name,
            "nationality": str(visa_request.nationality.name),
            "passport_number": visa_request.passport_number,
            "stay_from": format_day(visa_request.stay_from),
            "stay_to": format_day(visa_request.stay_to),
        }
        return {
            **_frame(kit, LetterKind.VISA.value, language, on),
            "body_html": render_letter_body(kit.text(LetterKind.VISA, language), values),
            "addressee": addressee,
            "reference": visa_reference(visa_request, kit),
            "visa_request": visa_request,
        }


# The admin's preview


def letter_preview(letter_text: LetterText) -> SafeString:
    """A stored text as it reads in a letter: for the workshop's first invited delegation (an
    invitation) or a sample delegate of it (a visa letter); empty when it invites nobody yet."""
    workshop = letter_text.settings.workshop
    language = _checked_language(letter_text.language)
    delegation = (
        Delegation.objects.filter(workshop_id=workshop.pk, seats__gt=0)
        .select_related("member_state", "institution")
        .order_by("category", "member_state__code", "institution__name", "pk")
        .first()
    )
    if delegation is None:
        return mark_safe("")
    delegation.workshop = workshop
    with translation.override(language):
        values = _invitation_values(delegation, language)
        if letter_text.kind == LetterKind.VISA:
            values.update(
                addressee=letter_defaults.VISA_ADDRESSEE.get(language, letter_defaults.VISA_ADDRESSEE["en"]),
                holder=_("Name of the delegate"),
                passport_name=_("NAME AS IN THE PASSPORT"),
                nationality=values["state"],
                passport_number="N0000000",
                stay_from=format_day(workshop.start_date - datetime.timedelta(days=1)),
                stay_to=format_day(workshop.end_date + datetime.timedelta(days=1)),
            )
        return render_letter_body(letter_text.body, values)
