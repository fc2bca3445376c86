"""The audit trail: decisions, admin changes with before/after, roles, erasure and retention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.context import acting
from audit.enums import Action, Source
from audit.models import AuditEvent
from audit.services import audit_purge_expired, field_changes, record, snapshot
from delegations.services import focal_point_designate
from privacy.erasure import erasure_carry_out, erasure_request_create
from registrations.enums import RegistrationStatus
from registrations.services import registration_approve, registration_decline, registration_update
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_state, staff_user
from tests.delegations.support import state_delegation
from workshop_portal.models import Institution
from workshop_portal.roles import ORGANISERS, SECRETARIAT, user_grant_role, user_revoke_roles

pytestmark = pytest.mark.django_db
S = RegistrationStatus


@pytest.fixture
def organiser():
    user = staff_user("organiser@example.org", ORGANISERS)
    AuditEvent.objects.all().delete()  # the role just granted: each test counts its own events
    return user


def test_field_changes_lists_only_changed_fields_and_masks_secrets():
    user = UserFactory(first_name="Aigerim")
    before = snapshot(user)
    user.first_name = "Aigerim B."
    user.set_password("a new password, long enough")
    changes = field_changes(before, snapshot(user))
    assert changes == {"first_name": ["Aigerim", "Aigerim B."], "password": ["********", "********"]}


def test_decisions_are_recorded_with_actor_status_and_workshop(organiser):
    workshop = WorkshopFactory(capacity=1)
    first, second = RegistrationFactory.create_batch(2, workshop=workshop)
    registration_approve(registration=first, by=organiser, notify=False)
    registration_approve(registration=second, by=organiser, notify=False)  # full: waitlisted
    registration_decline(registration=first, by=organiser, notify=False)  # the seat goes to the second
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id", "changes", "actor_id"))
    assert events == [
        (Action.APPROVE, str(first.pk), {"status": [S.SUBMITTED, S.APPROVED]}, organiser.pk),
        (Action.WAITLIST, str(second.pk), {"status": [S.SUBMITTED, S.WAITLISTED]}, organiser.pk),
        (Action.DECLINE, str(first.pk), {"status": [S.APPROVED, S.DECLINED]}, organiser.pk),
        (Action.PROMOTE, str(second.pk), {"status": [S.WAITLISTED, S.APPROVED]}, organiser.pk),
    ]
    assert set(AuditEvent.objects.values_list("workshop_id", flat=True)) == {workshop.pk}
    assert AuditEvent.objects.filter(source=Source.COMMAND).count() == 4  # no request: a command's


def test_a_refused_decision_leaves_no_event(organiser):
    registration = RegistrationFactory(status=S.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        registration_approve(registration=registration, by=organiser, notify=False)
    assert not AuditEvent.objects.exists()


def test_staff_editing_a_persons_registration_is_recorded_with_before_and_after(organiser):
    registration = RegistrationFactory(position="Head of Division")
    registration.position = "Deputy Minister"
    registration_update(registration=registration, by=organiser)
    event = AuditEvent.objects.get()
    assert (event.action, event.changes) == (Action.CHANGE, {"position": ["Head of Division", "Deputy Minister"]})
    # The delegate editing their own registration is not a staff action.
    registration.position = "Minister"
    registration_update(registration=registration, by=registration.user)
    assert AuditEvent.objects.count() == 1


def test_role_changes_are_recorded_wherever_they_are_made():
    person = UserFactory(email="someone@example.org")
    user_grant_role(user=person, role=SECRETARIAT)
    user_revoke_roles(user=person)
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "changes"))
    assert events == [
        (Action.ROLE_GRANT, {"groups": [[], [SECRETARIAT]]}),
        (Action.ROLE_GRANT, {"is_staff": [False, True]}),
        (Action.ROLE_REVOKE, {"groups": [[SECRETARIAT], []]}),
        (Action.ROLE_REVOKE, {"is_staff": [True, False]}),
    ]


def test_focal_point_designation_is_recorded(organiser):
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "KZ", 3)
    focal_point_designate(delegation=delegation, email="fp@example.org", by=organiser, notify=False)
    event = AuditEvent.objects.get(action=Action.FOCAL_POINT_DESIGNATE)
    assert (event.workshop_id, event.actor_id, event.changes) == (
        workshop.pk,
        organiser.pk,
        {"focal_point": [None, "fp@example.org"]},
    )


def test_every_admin_save_and_delete_is_recorded_with_before_and_after(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("admin:workshop_portal_institution_add"),
        {"name": "Agency of Cooperation", "acronym": "AOC", "kind": "national", "member_state": member_state("KZ").pk},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    institution = Institution.objects.get(acronym="AOC")
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert (event.object_type, event.object_id, event.source, event.ip_address, event.actor_id) == (
        "workshop_portal.institution",
        str(institution.pk),
        Source.ADMIN,
        "192.0.2.7",
        organiser.pk,
    )
    assert event.changes["acronym"] == [None, "AOC"]
    # Outside the admin a save is the service's to record: nothing generic.
    institution.acronym = "AOC2"
    institution.save()
    assert AuditEvent.objects.count() == 1
    with acting(user=organiser, source=Source.ADMIN):
        institution.acronym = "AOC3"
        institution.save()
        institution.delete()
    change, delete = AuditEvent.objects.filter(action__in=[Action.CHANGE, Action.DELETE]).order_by("pk")
    assert change.changes == {"acronym": ["AOC2", "AOC3"]}
    assert delete.changes["acronym"] == ["AOC3", None]


def test_an_admin_bulk_decision_is_recorded_once_as_the_decision(client, organiser):
    registrations = RegistrationFactory.create_batch(2, workshop=WorkshopFactory(capacity=5))
    client.force_login(organiser)
    client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "approve", "_selected_action": [r.pk for r in registrations]},
    )
    assert list(AuditEvent.objects.values_list("action", "source")) == [(Action.APPROVE, Source.ADMIN)] * 2


def test_erasure_replaces_the_persons_name_and_address_by_a_pseudonym(organiser):
    person = UserFactory(email="aigerim@example.org", first_name="Aigerim", last_name="Bekova")
    registration = RegistrationFactory(user=person, participant_name="Aigerim Bekova", email=person.email)
    registration_approve(registration=registration, by=organiser, notify=False)
    record(action=Action.CHANGE, obj=registration, actor=person, changes={"email": ["aigerim@example.org", "x@y.z"]})
    other = record(action=Action.CHANGE, object_type="x.y", object_id="other", object_label="Nobody", actor=organiser)
    request = erasure_request_create(user=person)
    erasure_carry_out(request=request, by=organiser)
    pseudonym = f"erased-{person.pk}@erased.invalid"
    for event in AuditEvent.objects.filter(object_id=str(registration.pk)):
        text = f"{event.actor_label} {event.object_label} {event.changes}"
        assert "Aigerim" not in text, text
        assert "aigerim@example.org" not in text, text
        assert pseudonym in text
    other.refresh_from_db()
    assert other.actor_label.endswith("<organiser@example.org>")


def test_events_older_than_the_retention_period_are_purged(settings, organiser):
    settings.AUDIT_RETENTION_DAYS = 30
    old = record(action=Action.CHANGE, object_type="x.y", actor=organiser)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    recent = record(action=Action.CHANGE, object_type="x.y", actor=organiser)
    assert audit_purge_expired() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_admin_is_read_only_filters_and_exports_csv(client, organiser, django_assert_max_num_queries):
    for number in range(3):
        record(action=Action.CHANGE, object_type="x.y", object_id=number, object_label=f"=cmd{number}", actor=organiser)
    client.force_login(organiser)
    changelist = reverse("admin:audit_auditevent_changelist")
    assert client.get(changelist, {"action": "change", "q": "cmd"}).status_code == 200
    with django_assert_max_num_queries(20):
        client.get(changelist)
    for number in range(30):
        record(action=Action.CHANGE, object_type="x.y", object_id=number, object_label="more", actor=organiser)
    with django_assert_max_num_queries(20):
        client.get(changelist)
    event = AuditEvent.objects.get(object_label="=cmd1")
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(changelist, {"action": "export_csv", "_selected_action": [event.pk]})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("\ufeff")
    assert len(lines) == 2
    assert "'=cmd1" in lines[1]  # a label is never a formula to a spreadsheet
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    client.force_login(secretariat)
    assert client.get(changelist).status_code == 403
