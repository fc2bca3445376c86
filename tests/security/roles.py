"""The people of the permission matrix, and the objects their URLs point at."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from api.services import api_token_create, calendar_feed_get_or_create
from communications.models import Message, MessageText, OutboundEmail
from communications.unsubscribe import unsubscribe_token
from delegations.letter_services import letters_lay_out_defaults
from delegations.models import Delegation, FocalPoint, Nomination, VisaLetterRequest
from documents.enums import DocumentKind
from documents.kinds import registration_key, state_key
from documents.models import DocumentBatch
from documents.services import document_issue_for_holder
from outcomes.followup_models import Recommendation, SeriesMembership, WorkshopSeries
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
from registrations.enums import RegistrationStatus
from registrations.models import BadgeBatch
from registrations.services import registration_check_in
from reports.models import ProceedingsBuild, SessionReport
from sessions.enums import SegmentKind
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    member_state,
    segment_of,
    special_session,
    staff_user,
    verified_user,
)
from testkit.files import pdf_bytes, upload
from workshop_portal.models import ErasureRequest, User
from workshop_portal.roles import ORGANISERS, SECRETARIAT

ROLES = (
    "anonymous",
    "signed_up",
    "submitted",
    "approved",
    "other_approved",
    "rapporteur",
    "secretariat",
    "organiser",
    "superuser",
)


# The accounts the user model's admin pages are asked about (tests/security/permission_matrix.py,
# USER_TARGET_MATRIX): a delegate, each staff role's own account, another organiser, a superuser.
ACCOUNT_TARGETS = ("approved", "organiser", "second_organiser", "secretariat", "superuser")


@dataclass
class World:
    users: dict
    values: dict
    accounts: dict = field(default_factory=dict)
    # The focal points of the delegation in the URLs ('focal_point') and of another state's
    # ('other_focal_point'), asked about the delegations pages (FOCAL_POINT_MATRIX).
    focal_points: dict = field(default_factory=dict)


def build_world() -> World:
    workshop = WorkshopFactory(slug="matrix", title="Matrix Workshop")
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    special_session(workshop)
    owner = approved_delegate(workshop, "KZ", user=verified_user("approved@example.org"))
    other = approved_delegate(workshop, "KZ", user=verified_user("other@example.org"))
    submitted = RegistrationFactory(
        workshop=workshop, user=verified_user("submitted@example.org"), status=RegistrationStatus.SUBMITTED
    )
    organiser = staff_user("organiser@example.org", ORGANISERS)
    presentation = presentation_create(
        presentation=Presentation(
            presenter=owner, segment=segment_of(session, SegmentKind.HOST_STATE), title="Mine", abstract="A"
        ),
        by=owner.user,
    )
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("a.pdf", pdf_bytes()), by=owner.user
    )
    presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)
    rapporteur = verified_user("rapporteur@example.org")
    session.rapporteur = rapporteur
    session.save()
    SessionReport.objects.create(session=session)
    batch = BadgeBatch.objects.create(workshop=workshop, requested_by=organiser, status="failed")
    build = ProceedingsBuild.objects.create(
        workshop=workshop, inputs_hash="x", status="failed", finished_at=timezone.now()
    )
    delegation = Delegation.objects.create(
        workshop=workshop, category="central_asian_state", member_state=owner.member_state, seats=3
    )
    # The owner came to the workshop: their certificate of attendance, and a failed batch.
    registration_check_in(registration=owner, by=organiser)
    document = document_issue_for_holder(
        workshop=workshop, kind=DocumentKind.CERTIFICATE_ATTENDANCE, holder_key=registration_key(owner), by=organiser
    )
    document_batch = DocumentBatch.objects.create(
        workshop=workshop, kind=DocumentKind.CERTIFICATE_ATTENDANCE, requested_by=organiser, status="failed"
    )
    superuser = User.objects.create_superuser(email="root@example.org", password="x")
    signed_up = verified_user("signed-up@example.org")
    ErasureRequest.objects.create(user=signed_up, email=signed_up.email, reason="Moving on")
    users = {
        "anonymous": None,
        "signed_up": signed_up,
        "submitted": submitted.user,
        "approved": owner.user,
        "other_approved": other.user,
        "rapporteur": rapporteur,
        "secretariat": staff_user("secretariat@example.org", SECRETARIAT),
        "organiser": organiser,
        "superuser": superuser,
    }
    values = {
        "slug": workshop.slug,
        "registration": owner.pk,
        "presentation": presentation.pk,
        "file": version.pk,
        "badge_batch": batch.pk,
        "build": build.pk,
        "session_pk": session.pk,
        "registration_pk": owner.pk,
        "token": owner.badge_token,
        "key": "not-a-key",
        "uidb36": "1",
        "object_id": owner.pk,
        "id": owner.user.pk,
        "app_label": "registrations",
        "content_type_id": 1,
        "url": "nothing-here",
        "delegation": delegation.pk,
        "document": document.pk,
        "document_batch": document_batch.pk,
        "code": document.code,
    }
    # Made last, so the other objects keep their primary keys.
    accounts = {role: users[role] for role in ACCOUNT_TARGETS if role in users}
    accounts["second_organiser"] = staff_user("second-organiser@example.org", ORGANISERS)
    other_delegation = Delegation.objects.create(
        workshop=workshop, category="oic_partner_state", member_state=member_state("TR"), seats=2
    )
    focal_points = {
        "focal_point": FocalPoint.objects.create(
            delegation=delegation, email="focal@example.org", user=verified_user("focal@example.org")
        ),
        "other_focal_point": FocalPoint.objects.create(
            delegation=other_delegation, email="other-focal@example.org", user=verified_user("other-focal@example.org")
        ),
    }
    nomination = Nomination.objects.create(
        workshop=workshop,
        delegation=delegation,
        name="Nominee",
        email="nominee@example.org",
        role="member",
        nominated_by=focal_points["focal_point"].user,
    )
    values["nomination"] = nomination.pk
    values["nomination_token"] = nomination.token
    values["outbound_email"] = OutboundEmail.objects.create(
        workshop=workshop,
        user=owner.user,
        to_address=owner.user.email,
        language="en",
        kind="registrations/email/approved",
        subject="Registration approved",
        text="Dear delegate,",
        html="<p>Dear delegate,</p>",
        from_address="secretariat@localhost",
        message_id="<matrix@localhost>",
    ).pk
    # A draft message to the approved delegates, and the owner's unsubscribe link.
    message = Message.objects.create(workshop=workshop, title="Matrix", audience={"statuses": ["approved"]})
    MessageText.objects.create(message=message, language="en", subject="Hello", body="Dear {first_name},")
    values["message"] = message.pk
    values["signed_token"] = unsubscribe_token(owner.user.email, workshop.pk)
    # The approved delegate's visa letter request: passport details only they and the organisers see.
    VisaLetterRequest.objects.create(
        registration=owner,
        passport_name="MATRIX OWNER",
        nationality="KZ",
        passport_number="M1234567",
        passport_expiry=workshop.end_date + timedelta(days=900),
        stay_from=workshop.start_date,
        stay_to=workshop.end_date,
    )
    letters_lay_out_defaults(workshop=workshop)
    # The Kazakh delegation's invitation letter (its focal point downloads it, no one else but the
    # staff) and the owner's visa letter (theirs alone): DOCUMENT_MATRIX, FOCAL_POINT_MATRIX.
    values["invitation_letter"] = document_issue_for_holder(
        workshop=workshop,
        kind=DocumentKind.INVITATION_LETTER,
        holder_key=state_key(delegation.member_state),
        by=organiser,
    ).pk
    values["visa_letter"] = document_issue_for_holder(
        workshop=workshop, kind=DocumentKind.VISA_LETTER, holder_key=registration_key(owner), by=organiser
    ).pk
    # The owner's calendar feed (its secret address) and one API token of theirs (api/).
    values["secret"] = calendar_feed_get_or_create(user=owner.user).secret
    values["api_token"] = api_token_create(user=owner.user, name="Matrix", valid_days=30)[0].pk
    # The workshop's open evaluation survey: its participants answer it, the staff read the results.
    from tests.outcomes.survey_fixtures import survey_material

    values["survey"] = survey_material(workshop=workshop, session_code="TJ")["survey"].pk
    # A series named like the workshop (its tracker's slug), and a recommendation addressed to
    # Kazakhstan: its focal point follows it up, another state's does not.
    series = WorkshopSeries.objects.create(name="Matrix series", slug=workshop.slug)
    SeriesMembership.objects.create(series=series, workshop=workshop)
    values["recommendation"] = Recommendation.objects.create(
        workshop=workshop, number=1, text="Matrix", addressee_kind="member_state", member_state=owner.member_state
    ).pk
    return World(users=users, values=values, accounts=accounts, focal_points=focal_points)
