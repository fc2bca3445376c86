"""The cooperation board: who sees it, who posts what, the matches by sector, and a match made a recommendation.

Only the approved participants of a workshop see its board; a Central Asian delegate posts their
state's needs, a delegate of a partner member state or of an institution their side's offers. The
organisers see everything, hide what does not belong and turn a match into a recommendation.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_enums import AddresseeKind, Priority
from outcomes.followup_models import Recommendation
from outcomes.recommendations import recommendation_record, user_may_record_recommendations
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import User, Workshop

MODERATE_PERMISSION = "outcomes.change_cooperationneed"
OFFERING_CATEGORIES = (
    ParticipantCategory.OIC_PARTNER_STATE,
    ParticipantCategory.OIC_INSTITUTION,
    ParticipantCategory.INTERNATIONAL_INSTITUTION,
)


@dataclass(frozen=True)
class BoardAccess:
    registration: Registration | None
    moderates: bool
    records: bool

    @property
    def posts_needs(self) -> bool:
        return self.registration is not None and self.registration.category == ParticipantCategory.CENTRAL_ASIAN_STATE

    @property
    def posts_offers(self) -> bool:
        return self.registration is not None and self.registration.category in OFFERING_CATEGORIES


def board_access(*, user: User, workshop: Workshop) -> BoardAccess | None:
    """None for anyone who may not see the board: not an approved participant, not an organiser."""
    if not user.is_authenticated:
        return None
    registration = (
        Registration.objects.filter(workshop=workshop, user=user, status=RegistrationStatus.APPROVED)
        .select_related("member_state", "institution")
        .first()
    )
    moderates = user.has_perm(MODERATE_PERMISSION)
    if registration is None and not moderates:
        return None
    return BoardAccess(
        registration=registration,
        moderates=moderates,
        records=user_may_record_recommendations(user=user, workshop=workshop),
    )


@dataclass
class Match:
    need: CooperationNeed
    offer: CooperationOffer


@dataclass
class BoardPage:
    needs: list
    offers: list
    matches: list

    def matches_of(self, access: BoardAccess) -> list[Match]:
        """The matches that concern the person's own state or institution: shown to both sides."""
        registration = access.registration
        if registration is None:
            return []

        def ours(post) -> bool:
            if registration.member_state_id and post.member_state_id == registration.member_state_id:
                return True
            return bool(registration.institution_id) and post.institution_id == registration.institution_id

        return [m for m in self.matches if ours(m.need) or ours(m.offer)]


def board_page(*, workshop: Workshop, access: BoardAccess) -> BoardPage:
    """Needs, offers and their matches by sector, in three queries whatever the size of the board."""
    needs = CooperationNeed.objects.filter(workshop=workshop).select_related("member_state", "institution")
    offers = CooperationOffer.objects.filter(workshop=workshop).select_related("member_state", "institution")
    if not access.moderates:
        needs, offers = needs.filter(is_hidden=False), offers.filter(is_hidden=False)
    needs, offers = list(needs), list(offers)
    offers_by_sector: dict[str, list] = {}
    for offer in offers:
        if not offer.is_hidden:
            offers_by_sector.setdefault(offer.sector, []).append(offer)
    matches = [
        Match(need=need, offer=offer)
        for need in needs
        if not need.is_hidden
        for offer in offers_by_sector.get(need.sector, [])
    ]
    return BoardPage(needs=needs, offers=offers, matches=matches)


@transaction.atomic
def board_post_need(*, need: CooperationNeed, access: BoardAccess, by: User) -> CooperationNeed:
    """A Central Asian delegate posts a need of their own state."""
    if not access.posts_needs:
        raise PermissionDenied(_("Only the delegates of a Central Asian state post its needs."))
    need.member_state_id = access.registration.member_state_id
    need.institution = None
    need.posted_by = by
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def board_post_offer(*, offer: CooperationOffer, access: BoardAccess, by: User) -> CooperationOffer:
    """A delegate of a partner member state or an institution posts what their side offers."""
    if not access.posts_offers:
        raise PermissionDenied(_("Only the delegates of partner member states and institutions post offers."))
    offer.member_state_id = access.registration.member_state_id
    offer.institution_id = access.registration.institution_id
    offer.posted_by = by
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def board_set_hidden(*, workshop: Workshop, kind: str, pk: int, hidden: bool, by: User) -> None:
    """The organisers hide a post from the participants (or show it again)."""
    if not by.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied(_("Only the organisers moderate the board."))
    model = {"need": CooperationNeed, "offer": CooperationOffer}.get(kind)
    if model is None or not model.objects.filter(workshop=workshop, pk=pk).update(is_hidden=hidden):
        raise ValidationError(_("There is no such post on this board."))


@transaction.atomic
def board_match_recommend(*, workshop: Workshop, need_pk: int, offer_pk: int, by: User) -> Recommendation:
    """A need and an offer of the same sector become a recommendation addressed to the offering side."""
    if not user_may_record_recommendations(user=by, workshop=workshop):
        raise PermissionDenied(_("Only the special session's rapporteur and the organisers record recommendations."))
    need = CooperationNeed.objects.filter(workshop=workshop, pk=need_pk, is_hidden=False).first()
    offer = CooperationOffer.objects.filter(workshop=workshop, pk=offer_pk, is_hidden=False).first()
    if need is None or offer is None or need.sector != offer.sector:
        raise ValidationError(_("Choose a need and an offer of the same sector on this board."))
    text = _("%(offer_party)s to offer %(modality)s in %(sector)s to %(need_party)s: %(need)s — %(offer)s") % {
        "offer_party": offer.party,
        "modality": offer.get_modality_display().lower(),
        "sector": need.get_sector_display().lower(),
        "need_party": need.party,
        "need": need.description,
        "offer": offer.description,
    }
    recommendation = Recommendation(
        workshop=workshop,
        text=text,
        addressee_kind=AddresseeKind.MEMBER_STATE if offer.member_state_id else AddresseeKind.INSTITUTION,
        member_state_id=offer.member_state_id,
        institution_id=None if offer.member_state_id else offer.institution_id,
        priority=Priority.MEDIUM,
        need=need,
        offer=offer,
    )
    return recommendation_record(recommendation=recommendation, by=by)
