import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from registrations.enums import RegistrationStatus
from registrations.models import Registration
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory, member_state, staff_user
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

S = RegistrationStatus
CHANGELIST = "admin:registrations_registration_changelist"


@pytest.fixture
def organiser(client):
    user = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(user)
    return user


def _action(client, action, registrations, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [r.pk for r in registrations], **extra},
        follow=True,
    )


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def test_bulk_approve_fills_the_seats_and_says_why_the_rest_wait(client, organiser):
    workshop = WorkshopFactory(capacity=5, title="Workshop on Cooperation")
    RegistrationFactory.create_batch(2, workshop=workshop, status=S.APPROVED)  # 3 seats left
    registrations = RegistrationFactory.create_batch(5, workshop=workshop)
    response = _action(client, "approve", registrations)
    assert _messages(response) == [
        ("success", "Approved 3 registrations."),
        (
            "warning",
            "Put 2 registrations on the waiting list because the workshop is full (5 seats): Workshop on Cooperation.",
        ),
    ]
    statuses = [Registration.objects.get(pk=r.pk).status for r in registrations]
    assert statuses == [S.APPROVED] * 3 + [S.WAITLISTED] * 2
    # Again: nothing changes, and the message says why for each.
    response = _action(client, "approve", registrations)
    assert _messages(response) == [
        (
            "warning",
            "2 registrations stay on the waiting list because the workshop is full (5 seats): Workshop on Cooperation.",
        ),
        ("info", "3 registrations were already approved."),
    ]


def test_bulk_decline_says_who_took_the_freed_seats(client, organiser):
    workshop = WorkshopFactory(capacity=2)
    approved = RegistrationFactory.create_batch(2, workshop=workshop, status=S.APPROVED)
    waiting = RegistrationFactory(workshop=workshop, status=S.WAITLISTED)
    cancelled = RegistrationFactory(workshop=workshop, status=S.CANCELLED, participant_name="Aida Bek")
    response = _action(client, "decline", [*approved, cancelled])
    assert _messages(response) == [
        ("success", "Declined 2 registrations."),
        ("info", "The freed seat went to 1 delegate from the waiting list, now approved."),
        ("warning", "1 registration left as it was (Aida Bek): A cancelled registration cannot be declined."),
    ]
    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED


def test_bulk_waitlist_groups_refusals_by_reason(client, organiser):
    workshop = WorkshopFactory()
    submitted = RegistrationFactory(workshop=workshop)
    already = RegistrationFactory(workshop=workshop, status=S.WAITLISTED)
    approved = [
        RegistrationFactory(workshop=workshop, status=S.APPROVED, participant_name=name) for name in ("Ana", "Bo")
    ]
    response = _action(client, "waitlist", [submitted, already, *approved])
    assert _messages(response) == [
        ("success", "Put 1 registration on the waiting list."),
        ("info", "1 registration was already on the waiting list."),
        (
            "warning",
            "2 registrations left as they were (Ana, Bo): "
            "Only a submitted or declined registration can be put on the waiting list.",
        ),
    ]


def test_admin_messages_use_each_languages_plural_forms(client, organiser):
    organiser.language = "ru"
    organiser.save(update_fields=["language"])
    expected = {1: "Одобрена 1 регистрация.", 3: "Одобрено 3 регистрации.", 5: "Одобрено 5 регистраций."}
    for count, message in expected.items():
        registrations = RegistrationFactory.create_batch(count, workshop=WorkshopFactory(capacity=10))
        assert _messages(_action(client, "approve", registrations)) == [("success", message)]


def test_bulk_decline_and_waitlist_go_through_the_services(client, organiser):
    workshop = WorkshopFactory(capacity=1)
    approved = RegistrationFactory(workshop=workshop, status=S.APPROVED)
    waiting = RegistrationFactory(workshop=workshop)
    _action(client, "waitlist", [waiting])
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    _action(client, "decline", [approved])
    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED  # promoted into the freed seat


def test_an_action_that_does_not_apply_explains_why(client, organiser):
    registration = RegistrationFactory(status=S.CANCELLED)
    html = _action(client, "approve", [registration]).content.decode()
    assert "A cancelled registration cannot be approved." in html


def test_changelist_shows_counts_per_status_and_filters(client, organiser):
    workshop = WorkshopFactory()
    RegistrationFactory.create_batch(2, workshop=workshop, status=S.APPROVED)
    RegistrationFactory(workshop=workshop, status=S.WAITLISTED)
    response = client.get(reverse(CHANGELIST), {"workshop__id__exact": workshop.pk})
    html = response.content.decode()
    assert "Approved: 2" in html
    assert "Waiting list: 1" in html
    response = client.get(reverse(CHANGELIST), {"status__exact": "waitlisted"})
    assert response.context["cl"].result_count == 1
    response = client.get(reverse(CHANGELIST), {"member_state__id__exact": member_state("KZ").pk})
    assert response.context["cl"].result_count == 3


def test_changelist_query_count_is_flat(client, organiser, django_assert_max_num_queries):
    RegistrationFactory.create_batch(2)
    with django_assert_max_num_queries(30) as baseline:
        client.get(reverse(CHANGELIST))
    RegistrationFactory.create_batch(10)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse(CHANGELIST))


def test_csv_export_has_a_header_and_one_row_per_registration(client, organiser):
    registrations = [
        RegistrationFactory(participant_name="Нурлан Сагинтаев"),
        RegistrationFactory(participant_name='=HYPERLINK("http://evil")'),
    ]
    response = _action(client, "export_csv", registrations)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Workshop", "Status", "Title", "Name"]
    names = sorted(row[3] for row in rows[1:])
    assert names == sorted(["Нурлан Сагинтаев", '\'=HYPERLINK("http://evil")'])


def test_xlsx_export_reads_back(client, organiser):
    registrations = RegistrationFactory.create_batch(3, status=S.APPROVED)
    response = _action(client, "export_xlsx", registrations)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[0][1] == "Status"
    assert {row[1] for row in rows[1:]} == {"Approved"}


def test_secretariat_views_and_exports_but_cannot_decide(client):
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    registration = RegistrationFactory()
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "export_csv" in actions
    assert "approve" not in actions
    _action(client, "approve", [registration])
    registration.refresh_from_db()
    assert registration.status == S.SUBMITTED


def test_roles_are_created_by_the_migration_with_their_permissions():
    organisers = set(Group.objects.get(name=ORGANISERS).permissions.values_list("codename", flat=True))
    secretariat = set(Group.objects.get(name=SECRETARIAT).permissions.values_list("codename", flat=True))
    assert {"change_registration", "check_in_registration", "add_workingsession", "add_badgebatch"} <= organisers
    assert {"view_registration", "download_participant_list", "export_registration"} <= secretariat
    assert "change_registration" not in secretariat


def test_staff_status_alone_opens_nothing(client):
    user = UserFactory(email="staff-only@example.org", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("registrations:badges", args=[WorkshopFactory().slug])).status_code == 403


def test_a_superuser_gives_roles_from_the_user_list(client):
    client.force_login(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))
    person = UserFactory(email="new.colleague@example.org")
    client.post(
        reverse("admin:workshop_portal_user_changelist"),
        {"action": "make_secretariat", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name=SECRETARIAT).exists()


def test_an_organiser_gives_no_roles(client, organiser):
    person = UserFactory(email="new.colleague@example.org")
    client.post(
        reverse("admin:workshop_portal_user_changelist"),
        {"action": "make_secretariat", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert not person.is_staff
    assert not person.groups.exists()


def test_an_organiser_cannot_make_anyone_superuser(client, organiser):
    person = UserFactory(email="someone@example.org")
    response = client.get(reverse("admin:workshop_portal_user_change", args=[person.pk]))
    assert "is_superuser" not in response.context["adminform"].form.fields
