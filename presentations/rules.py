"""Who may present in which segment: the rules of the explanatory note, on the member-state model.

- the host state's segment: a delegate of the session's own Central Asian state;
- the partners' best-practice segment: a delegate of another OIC member state (one best practice
  per member state per workshop);
- the international institutions' segment: a delegate of an OIC or international institution;
- the general discussion and the special session's segments take no presentations.
"""

from django.utils.translation import gettext as _

from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from sessions.enums import SegmentKind
from sessions.models import Segment

INSTITUTION_CATEGORIES = (ParticipantCategory.OIC_INSTITUTION, ParticipantCategory.INTERNATIONAL_INSTITUTION)


def presenter_segment_error(*, presenter: Registration, segment: Segment) -> str | None:
    """Why this delegate may not present in this segment, or None when they may."""
    session = segment.session
    if presenter.workshop_id != session.workshop_id:
        return _("The presenter is registered for another workshop.")
    if presenter.status != RegistrationStatus.APPROVED:
        return _("Only a delegate whose registration is approved can present.")
    if not segment.accepts_presentations:
        return _("“%(segment)s” takes no presentations.") % {"segment": segment.display_title}
    state = presenter.represented_state
    if segment.kind == SegmentKind.HOST_STATE:
        if state is None or state.pk != session.country_id:
            return _("Only a delegate of %(state)s presents in this segment.") % {"state": session.country.name}
    elif segment.kind == SegmentKind.PARTNER_BEST_PRACTICES:
        if presenter.category in INSTITUTION_CATEGORIES or state is None:
            return _("Only a delegate of an OIC member state presents a best practice.")
        if state.pk == session.country_id:
            return _("%(state)s presents in its own segment; best practices come from its partner member states.") % {
                "state": state.name
            }
    elif segment.kind == SegmentKind.INTERNATIONAL_INSTITUTIONS and presenter.category not in INSTITUTION_CATEGORIES:
        return _("Only a delegate of an OIC or international institution presents in this segment.")
    return None


def segments_open_to(*, presenter: Registration, segments) -> list[Segment]:
    """The segments, among those given, in which this delegate may present."""
    return [s for s in segments if presenter_segment_error(presenter=presenter, segment=s) is None]
