"""Invitation letters (notes verbales) and visa support letters as documents: registered as kinds
(documents/kinds.py) from this app's ready(); their texts and what they say come from
delegations/letters.py, which knows nothing of this app (delegations never import documents).

Invitation letter: one per delegation offered seats (a member state or an institution), addressed to
it (`state_key` / `institution_key`), downloaded by the staff and by the focal points of that
delegation (documents.selectors.document_may_download). Its language:

1. the language its focal points chose (accepted ones first, in the order designated): an account's
   own language, else the language the organisers chose for a focal point's invitation when it is
   not the portal's default (the language every focal point gets unless one is chosen);
2. without one, the state's usual language with the OIC: Arabic for the Arab states,
   French for the francophone states of West and Central Africa, Comoros and Djibouti, Russian for
   the Central Asian states and Azerbaijan, English for the others (an institution: its state's);
3. always one the workshop offers (`holder_language`).

It states what can change: the seats, the addressee, the reference, the workshop's dates and venue
and a digest of the rendered text; editing the text or the seats issues it again on the next batch,
the old one superseded. The letter's date is its date of issue.

Visa support letter: one per visa request a letter is due for (requested or issued), to the delegate
(`registration_key`, their name as in the passport), in their language. It states the passport
details and the dates of stay (in its facts, hence the keyed `content_key`). Issued by a worker as
soon as the delegate saves the request (`visa_request_saved` → task → `visa_letter_issue`), or by the
staff's batch; each issue marks the request issued. Withdrawing the request revokes the letter.
"""

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from delegations.enums import VisaRequestStatus
from delegations.letter_models import VisaLetterRequest
from delegations.letters import (
    delegation_display_name,
    invitation_letter_context,
    invitation_letter_targets,
    visa_letter_context,
    visa_letter_targets,
)
from delegations.models import Delegation, FocalPoint
from delegations.visa import visa_request_mark_issued, visa_request_mark_revoked
from documents.enums import DocumentKind
from documents.kinds import (
    KindSpec,
    Target,
    holder_language,
    institution_key,
    register_kind,
    registration_key,
    state_key,
)
from documents.models import IssuedDocument
from workshop_portal.models import Institution, MemberState, Workshop
from workshop_portal.queueing import send

logger = logging.getLogger(__name__)

# The OIC's members of the Arab League but Comoros and Djibouti (French below).
ARABIC_STATES = frozenset("DZ BH EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE".split())  # noqa: SIM905
FRENCH_STATES = frozenset("SN ML NE GN CI BF BJ TG TD GA CM KM DJ".split())  # noqa: SIM905
RUSSIAN_STATES = frozenset("KZ KG TJ TM UZ AZ".split())  # noqa: SIM905

WITHDRAWN_REASON = "withdrawn by the holder"
"""The staff's note on a visa letter revoked because the delegate withdrew the request."""

# What the context of a letter holds that the base template takes from document_branding instead
# (image data URIs there, stored files here).
_BRANDING_KEYS = ("letterhead", "signature", "signatory_name", "signatory_title")


def state_language(code: str) -> str:
    """The usual language of a member state (an ISO 3166 code) in its dealings with the OIC."""
    code = str(code or "").upper()
    if code in ARABIC_STATES:
        return "ar"
    if code in FRENCH_STATES:
        return "fr"
    if code in RUSSIAN_STATES:
        return "ru"
    return "en"


def _focal_point_language(focal_point: FocalPoint) -> str:
    """The language a focal point chose: their account's, else the one the organisers chose for their
    invitation when it is not the portal's default (which every focal point gets unless told otherwise)."""
    if focal_point.user_id and focal_point.user.language:
        return focal_point.user.language
    if focal_point.language and focal_point.language != settings.LANGUAGE_CODE:
        return focal_point.language
    return ""


def invitation_language(workshop: Workshop, delegation: Delegation) -> str:
    """The language of a delegation's invitation letter (see the module's docstring)."""
    focal_points = sorted(delegation.focal_points.all(), key=lambda f: (f.user_id is None, f.created_at, f.pk))
    preferred = next((language for f in focal_points if (language := _focal_point_language(f))), "")
    if not preferred:
        state = delegation.member_state if delegation.member_state_id else None
        if state is None and delegation.institution_id:
            state = delegation.institution.member_state
        preferred = state_language(state.code if state is not None else "")
    return holder_language(workshop, preferred)


def _digest(html: str) -> str:
    return hashlib.sha256(str(html).encode()).hexdigest()[:32]


def _letter_facts(context: dict, *more: str) -> tuple[str, ...]:
    """What a letter prints that can change, as facts (the date line is the date of issue: not one)."""
    return (context["reference"], context["addressee"], *more, _digest(context["body_html"]))


def invitation_targets(workshop: Workshop) -> list[Target]:
    """Every delegation offered seats, addressed to its state or institution. Four queries whatever
    their number (invitation_letter_targets' three, and the focal points)."""
    delegations = invitation_letter_targets(workshop)
    prefetch_related_objects(
        delegations,
        "institution__member_state",
        Prefetch("focal_points", queryset=FocalPoint.objects.select_related("user").order_by("created_at", "pk")),
    )
    targets = []
    for delegation in delegations:
        language = invitation_language(workshop, delegation)
        context = invitation_letter_context(delegation, language)
        with translation.override(language):
            name = delegation_display_name(delegation)
        targets.append(
            Target(
                holder_name=name,
                holder_key=state_key(delegation.member_state)
                if delegation.member_state_id
                else institution_key(delegation.institution),
                language=language,
                member_state=delegation.member_state if delegation.member_state_id else None,
                institution=delegation.institution if delegation.institution_id else None,
                facts=(str(delegation.seats), *_letter_facts(context)),
                subject=delegation,
            )
        )
    return targets


def _letter_context(context: dict) -> dict:
    return {key: value for key, value in context.items() if key not in _BRANDING_KEYS}


def invitation_context(workshop: Workshop, target: Target) -> dict:
    return _letter_context(invitation_letter_context(target.subject, target.language))


def visa_targets(workshop: Workshop) -> list[Target]:
    """Every visa request a letter is due for, to its delegate by the name in their passport, in
    their language. Three queries whatever their number."""
    targets = []
    for visa_request in visa_letter_targets(workshop):
        registration = visa_request.registration
        language = holder_language(workshop, registration.user.language)
        context = visa_letter_context(visa_request, language)
        targets.append(
            Target(
                holder_name=visa_request.passport_name,
                holder_key=registration_key(registration),
                language=language,
                registration=registration,
                facts=(
                    visa_request.nationality.code,
                    visa_request.passport_number,
                    visa_request.passport_expiry.isoformat(),
                    visa_request.stay_from.isoformat(),
                    visa_request.stay_to.isoformat(),
                    *_letter_facts(context),
                ),
                subject=visa_request,
            )
        )
    return targets


def visa_context(workshop: Workshop, target: Target) -> dict:
    return _letter_context(visa_letter_context(target.subject, target.language))


def _visa_letter_issued(document: IssuedDocument, target: Target, by) -> None:
    """Each visa letter issued (by a batch or for one request) fixes its request as issued."""
    try:
        visa_request_mark_issued(visa_request=target.subject, by=by)
    except ValidationError as error:  # withdrawn or no longer approved meanwhile: the next change revokes
        logger.info("visa request %s not marked issued: %s", target.subject.pk, error.messages[0])


def _visa_letter_revoked(document: IssuedDocument, by) -> None:
    """An issued visa letter revoked by the organisers: its request says so (a request the delegate
    withdrew, or whose registration ended, is closed already and stays as it is)."""
    if document.registration_id:
        visa_request_mark_revoked(registration_id=document.registration_id)


def visa_letter_issue(*, visa_request_id: int, by=None) -> IssuedDocument | None:
    """Issue the visa letter of a request just saved (the worker's task); None when there is nothing
    to issue any more (withdrawn, no longer approved, gone, or issued already as it stands).

    The request's row stays locked while its letter is made: two tasks of the same request (two
    quick changes) run one after the other, the second finds it issued (with the latest details,
    read under the lock) and does nothing; a change or a withdrawal meanwhile waits for the letter.
    """
    from documents.services import document_issue_for_holder

    with transaction.atomic():
        visa_request = (
            VisaLetterRequest.objects.select_for_update(of=("self",))
            .select_related("registration__workshop")
            .filter(pk=visa_request_id)
            .first()
        )
        if visa_request is None or visa_request.status != VisaRequestStatus.REQUESTED:
            return None
        registration = visa_request.registration
        try:
            return document_issue_for_holder(
                workshop=registration.workshop,
                kind=DocumentKind.VISA_LETTER,
                holder_key=registration_key(registration),
                by=by,
            )
        except ValidationError as error:
            logger.warning("visa letter of request %s not issued: %s", visa_request_id, error.messages[0])
            return None


def visa_letters_revoke(*, registration_id: int, by, reason: str = WITHDRAWN_REASON) -> int:
    """Revoke a delegate's current visa letter(s) of the workshop; how many."""
    from documents.services import document_revoke

    current = IssuedDocument.objects.current().filter(kind=DocumentKind.VISA_LETTER, registration_id=registration_id)
    count = 0
    for document in current:
        document_revoke(document=document, by=by, reason=reason)
        count += 1
    return count


# Reactions to the delegate's visa request (delegations' signals: that app does not know this one)


def on_visa_request_saved(sender, visa_request, **kwargs) -> None:
    """Saved (asked, changed or renewed): a worker issues its letter once the change commits."""
    transaction.on_commit(partial(send, "documents.issue_visa_letter", visa_request_id=visa_request.pk))


def on_visa_request_withdrawn(sender, visa_request, by, **kwargs) -> None:
    """Withdrawn: its letter stops being valid, in the same transaction."""
    visa_letters_revoke(registration_id=visa_request.registration_id, by=by)


def delegation_documents(delegation: Delegation) -> list[IssuedDocument]:
    """The delegation's current invitation letter (for its page). One query."""
    if delegation.member_state_id:
        holder = state_key(MemberState(pk=delegation.member_state_id))
    elif delegation.institution_id:
        holder = institution_key(Institution(pk=delegation.institution_id))
    else:
        return []
    return list(
        IssuedDocument.objects.current()
        .filter(workshop_id=delegation.workshop_id, kind=DocumentKind.INVITATION_LETTER, holder_key=holder)
        .only("pk", "kind", "issued_at", "language", "code", "file")
    )


def register() -> None:
    from delegations.selectors import add_delegation_documents
    from delegations.signals import visa_request_saved, visa_request_withdrawn

    register_kind(
        KindSpec(
            kind=DocumentKind.INVITATION_LETTER,
            template="documents/pdf/invitation_letter.html",
            targets=invitation_targets,
            context=invitation_context,
            audience=_("For every delegation offered seats: addressed to its member state or institution."),
        )
    )
    register_kind(
        KindSpec(
            kind=DocumentKind.VISA_LETTER,
            template="documents/pdf/visa_letter.html",
            targets=visa_targets,
            context=visa_context,
            audience=_("For every approved delegate who asked for one (issued as soon as they ask)."),
            after_issue=_visa_letter_issued,
            after_revoke=_visa_letter_revoked,
            # It prints the passport details: the staff who read the requests (the organisers) only.
            staff_permissions=("delegations.view_visaletterrequest",),
        )
    )
    visa_request_saved.connect(on_visa_request_saved, dispatch_uid="documents.visa_request_saved")
    visa_request_withdrawn.connect(on_visa_request_withdrawn, dispatch_uid="documents.visa_request_withdrawn")
    add_delegation_documents(delegation_documents)
