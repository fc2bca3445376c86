"""The registry of document kinds: what each kind says, to whom a workshop issues it, in which language.

A kind is data (a `DocumentKind` member in enums.py) plus a `KindSpec` registered here from an app's
`ready()` (this app registers the two certificates in documents/certificates.py). Everything else
(issuing, re-issuing, revoking, batches and their ZIP, the staff page, verification, downloads,
privacy) works on any registered kind without knowing it.

Adding a kind (an invitation letter, a visa letter):

1. its member in `documents.enums.DocumentKind` (the four kinds are there already);
2. a template under `templates/documents/pdf/` that extends `documents/pdf/base.html` and fills
   `{% block body %}` (the letterhead, the signature, the verification code and the QR code come from
   the base);
3. a function `targets(workshop) -> list[Target]`: every holder the workshop issues it to, read in a
   fixed number of queries. Each `Target` names the holder as printed (`holder_name`), the key of the
   one-current-document rule (`holder_key`: use `registration_key`, `state_key` or `institution_key`),
   the language (`holder_language(workshop, preferred)`), the registration, member state or institution
   it is addressed to, and `facts`: what else the document states (presentation titles, a passport
   number, the seats offered) as a tuple of strings. A document is issued again when its holder name,
   language or facts change;
4. optionally `context(workshop, target) -> dict`: more template context, computed in the document's
   language (names of states, dates), and `audience`: one sentence for the staff page ("For every
   approved delegate who asked for one.");
5. `register_kind(KindSpec(kind=DocumentKind.VISA_LETTER, template="documents/pdf/visa_letter.html",
   targets=visa_letter_targets, audience=...))` from the app's `AppConfig.ready()`.

A document with a `registration` is that person's: their dashboard lists it, they download it,
their data export holds it and an erasure withdraws it (documents/privacy.py). A letter addressed
to a state or an institution (no registration) is downloaded by the staff only. The letterhead and
the signature every kind prints come from `documents.rendering.document_branding(workshop)`.

For example, an invitation letter per member state with a delegation quota:

    def invitation_targets(workshop):
        targets = []
        for delegation in Delegation.objects.filter(workshop=workshop, seats__gt=0).select_related("member_state"):
            language = holder_language(workshop, None)
            with translation.override(language):  # the state's name as the letter prints it
                name = str(delegation.member_state.name)
            targets.append(
                Target(
                    holder_name=name,
                    holder_key=state_key(delegation.member_state),
                    language=language,
                    member_state=delegation.member_state,
                    facts=(str(delegation.seats),),
                )
            )
        return targets
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.crypto import salted_hmac

from documents.enums import DocumentKind
from workshop_portal.languages import workshop_languages
from workshop_portal.models import Institution, MemberState, Workshop

CONTENT_KEY_SALT = "documents.kinds.Target.content_key"


@dataclass(frozen=True)
class Target:
    """One holder of one kind of document in a workshop: what it is issued to and what it says."""

    holder_name: str
    holder_key: str
    language: str
    registration: Any = None  # registrations.Registration
    member_state: MemberState | None = None
    institution: Institution | None = None
    facts: tuple[str, ...] = ()
    # What the kind's context renders from (a delegation, a visa request): not part of the content.
    subject: Any = field(default=None, compare=False, repr=False)

    @property
    def content_key(self) -> str:
        """A keyed digest of what the document states: the same value, the same document.

        Keyed (an HMAC under a key derived from SECRET_KEY), not a plain hash: the facts may hold a
        passport number, which a plain SHA-256 of a few guessable fields would give away to anyone
        reading the table. Rotating SECRET_KEY only means the next batch issues everything again.
        """
        content = json.dumps([self.holder_name, self.language, list(self.facts)], ensure_ascii=False)
        return salted_hmac(CONTENT_KEY_SALT, content, algorithm="sha256").hexdigest()


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    template: str
    targets: Callable[[Workshop], list[Target]]
    context: Callable[[Workshop, Target], dict] | None = None
    # Who receives it, one sentence for the staff page: "For every participant checked in at the workshop."
    audience: Any = ""
    # Called after each document of the kind is issued (a batch's or one holder's): (document, target, by).
    after_issue: Callable[[Any, Target, Any], None] | None = None
    # Called after a document of the kind is revoked, in the revocation's transaction: (document, by).
    after_revoke: Callable[[Any, Any], None] | None = None
    # What the staff need besides documents.view_issueddocument to read (download, batch, list) the
    # kind's documents, when they state more than a name: a visa letter prints a passport number.
    staff_permissions: tuple[str, ...] = ()

    @property
    def label(self):
        return DocumentKind(self.kind).label


_kinds: dict[str, KindSpec] = {}


def register_kind(spec: KindSpec) -> KindSpec:
    """Add a kind (from an AppConfig.ready()); the same spec twice is harmless, two for one kind are not."""
    known = _kinds.get(spec.kind)
    if known is not None and known != spec:
        raise ValueError(f"the document kind {spec.kind!r} is already registered")
    _kinds[str(spec.kind)] = spec
    return spec


def kind_spec(kind: str) -> KindSpec:
    """The spec of a registered kind; LookupError for a kind nobody registered."""
    try:
        return _kinds[str(kind)]
    except KeyError:
        raise LookupError(f"no document kind {kind!r} is registered") from None


def registered_kinds() -> list[KindSpec]:
    """Every registered kind, in the order of DocumentKind."""
    return [_kinds[kind] for kind in DocumentKind.values if kind in _kinds]


def kind_staff_may_read(user, kind: str) -> bool:
    """Whether the kind's own staff permissions (`KindSpec.staff_permissions`) are `user`'s; a kind
    nobody registered is nobody's."""
    try:
        spec = kind_spec(kind)
    except LookupError:
        return False
    return user.has_perms(spec.staff_permissions)


def holder_language(workshop: Workshop, preferred: str | None) -> str:
    """The holder's own language when the workshop offers it, else the workshop's first language.

    A workshop has no list of its languages yet (DESIGN.md names one): until it has, it offers every
    language of the portal, and its first is the portal's default. Change
    `workshop_portal.languages.workshop_languages` alone.
    """
    offered = workshop_languages(workshop)
    return preferred if preferred in offered else offered[0]


def registration_key(registration) -> str:
    return f"registration:{registration.pk}"


def state_key(member_state: MemberState) -> str:
    return f"state:{member_state.pk}"


def institution_key(institution: Institution) -> str:
    return f"institution:{institution.pk}"
