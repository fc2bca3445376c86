"""Visa support letter requests: the delegate's own page, the rules on the details, and the
passport details seen by no one else (lists, exports, the admin list, logs), exported to the
person, erased and purged."""

import csv
import datetime
import io
import json
import logging

import openpyxl
import pytest
from django.urls import reverse

from delegations.enums import VisaRequestStatus
from delegations.letter_models import VisaLetterRequest
from delegations.models import FocalPoint
from delegations.visa import visa_request_mark_issued, visa_request_save
from privacy.erasure import erasure_carry_out, erasure_request_create
from privacy.purge import workshop_purge_personal_data
from registrations.enums import RegistrationStatus
from testkit.factories import WorkshopFactory, approved_delegate, staff_user, verified_user
from tests.delegations.support import state_delegation
from tests.privacy.support import move_to_the_past, zip_of
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

PASSPORT = "N98765432"


@pytest.fixture
def workshop():
    return WorkshopFactory(start_date=datetime.date(2027, 2, 22), end_date=datetime.date(2027, 2, 23))


@pytest.fixture
def delegate(workshop):
    return approved_delegate(workshop, "KZ", user=verified_user("saule@example.org"), participant_name="Saule Omarova")


def _details(workshop, **changes):
    return {
        "passport_name": "OMAROVA SAULE",
        "nationality": "KZ",
        "passport_number": PASSPORT,
        "passport_expiry": datetime.date(2031, 5, 1),
        "stay_from": workshop.start_date - datetime.timedelta(days=1),
        "stay_to": workshop.end_date + datetime.timedelta(days=1),
        **changes,
    }


def _form(workshop, **changes):
    return {
        key: value.isoformat() if hasattr(value, "isoformat") else value
        for key, value in _details(workshop, **changes).items()
    }


def _page(registration):
    return reverse("delegations:visa_request", kwargs={"pk": registration.pk})


# The delegate's page


def test_an_approved_delegate_requests_changes_and_withdraws_their_letter(client, delegate, workshop, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(delegate.user)
    assert client.get(_page(delegate)).status_code == 200
    response = client.post(_page(delegate), _form(workshop, passport_number="n 987-654 32"))
    assert response.status_code == 302
    visa = VisaLetterRequest.objects.get(registration=delegate)
    assert visa.passport_number == PASSPORT
    assert visa.status == VisaRequestStatus.REQUESTED
    client.post(_page(delegate), _form(workshop, passport_name="OMAROVA SAULE B."))
    visa.refresh_from_db()
    assert visa.passport_name == "OMAROVA SAULE B."
    page = client.get(_page(delegate)).content.decode()
    assert PASSPORT in page
    client.post(reverse("delegations:visa_withdraw", kwargs={"pk": delegate.pk}))
    visa.refresh_from_db()
    assert visa.status == VisaRequestStatus.WITHDRAWN
    # Nothing the portal logged names a passport detail.
    assert PASSPORT not in caplog.text
    assert "OMAROVA" not in caplog.text


def test_once_issued_a_change_asks_for_a_new_letter(client, delegate, workshop):
    """An issued request stays editable: a change makes it pending again (the documents app then
    issues a new letter that replaces the old one: tests/documents/test_letters.py)."""
    visa = visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    visa_request_mark_issued(visa_request=visa, by=None)
    client.force_login(delegate.user)
    page = client.get(_page(delegate)).content.decode()
    assert "a new letter is issued and the current one is no longer valid" in page
    assert 'name="passport_number"' in page
    assert "being prepared" not in page
    response = client.post(_page(delegate), _form(workshop, passport_number="ZZ999999"))
    assert response.status_code == 302
    visa.refresh_from_db()
    assert visa.passport_number == "ZZ999999"
    assert visa.status == VisaRequestStatus.REQUESTED
    assert "being prepared" in client.get(_page(delegate)).content.decode()


def test_a_delegate_not_yet_approved_is_told_to_wait(client, workshop):
    registration = approved_delegate(workshop, "KZ", status=RegistrationStatus.SUBMITTED)
    client.force_login(registration.user)
    response = client.get(_page(registration))
    assert response.status_code == 302
    assert not VisaLetterRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"passport_number": "12"}, "passport_number", "5 to 20 letters and digits"),
        ({"passport_number": "AB<script>12345"}, "passport_number", "5 to 20 letters and digits"),
        ({"passport_name": "   "}, "passport_name", "required"),
        ({"passport_name": "A\x00B"}, "passport_name", ""),
        # Bidi overrides and line separators would print another name than the one stored (the letter
        # and the verification page show it): "SAULE" typed backwards under an override reads "SAULE".
        ({"passport_name": "OMAROVA \u202eELUAS"}, "passport_name", "on one line"),
        ({"passport_name": "OMAROVA\u2028SAULE"}, "passport_name", "on one line"),
        ({"passport_name": "OMAROVA \u2067SAULE"}, "passport_name", "on one line"),
        ({"nationality": "XX"}, "nationality", ""),
        ({"stay_to": datetime.date(2027, 2, 20)}, "stay_to", "cannot end before it begins"),
        ({"stay_from": datetime.date(2027, 1, 1)}, "stay_from", "around the workshop"),
        ({"stay_to": datetime.date(2027, 4, 1)}, "stay_from", "around the workshop"),
        (
            {"stay_from": datetime.date(2027, 2, 10), "stay_to": datetime.date(2027, 2, 15)},
            "stay_from",
            "must include the workshop",
        ),
        ({"passport_expiry": datetime.date(2027, 2, 23)}, "passport_expiry", "still be valid after your stay"),
        ({"passport_expiry": "not a date"}, "passport_expiry", ""),
    ],
)
def test_bad_details_get_a_clear_message_and_nothing_is_saved(client, delegate, workshop, changes, field, message):
    client.force_login(delegate.user)
    response = client.post(_page(delegate), _form(workshop, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not VisaLetterRequest.objects.exists()


def test_a_bad_change_leaves_the_saved_request_as_it_was(client, delegate, workshop):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    client.force_login(delegate.user)
    client.post(_page(delegate), _form(workshop, passport_number="1", passport_name="CHANGED"))
    visa = VisaLetterRequest.objects.get()
    assert (visa.passport_name, visa.passport_number) == ("OMAROVA SAULE", PASSPORT)


def test_nobody_else_reaches_the_page_not_even_a_focal_point_of_the_same_state(client, delegate, workshop):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    delegation = state_delegation(workshop, "KZ", seats=3)
    focal = verified_user("focal@example.org")
    FocalPoint.objects.create(delegation=delegation, email=focal.email, user=focal)
    other = approved_delegate(workshop, "KZ").user
    organiser = staff_user("organiser@example.org", ORGANISERS)
    for person in (focal, other, organiser):
        client.force_login(person)
        assert client.get(_page(delegate)).status_code == 404
        assert client.post(_page(delegate), _form(workshop, passport_number="HACKED123")).status_code == 404
        withdraw = reverse("delegations:visa_withdraw", kwargs={"pk": delegate.pk})
        assert client.post(withdraw).status_code == 404
    visa = VisaLetterRequest.objects.get()
    assert (visa.passport_number, visa.status) == (PASSPORT, VisaRequestStatus.REQUESTED)
    client.force_login(focal)
    assert PASSPORT not in client.get(reverse("delegations:detail", kwargs={"pk": delegation.pk})).content.decode()


# Nowhere else: lists, exports, the admin list


def test_the_passport_number_appears_in_no_list_or_export(client, delegate, workshop):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    organiser = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(organiser)
    changelist = reverse("admin:registrations_registration_changelist")
    for action in ("export_csv", "export_xlsx"):
        response = client.post(changelist, {"action": action, "_selected_action": [delegate.pk]})
        assert response.status_code == 200
        if action == "export_csv":
            text = response.content.decode("utf-8-sig")
            assert "Saule Omarova" in text
            cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        else:
            workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
            cells = [str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row]
        assert not [cell for cell in cells if PASSPORT in cell or "OMAROVA" in cell], action
    pages = [
        reverse("registrations:participants", kwargs={"slug": workshop.slug}),
        changelist,
        reverse("admin:registrations_registration_change", args=[delegate.pk]),
        reverse("admin:delegations_visaletterrequest_changelist"),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert PASSPORT not in page.content.decode(), url
    pdf = client.get(reverse("registrations:participants_pdf", kwargs={"slug": workshop.slug}))
    assert pdf.status_code == 200
    assert PASSPORT.encode() not in pdf.content


def test_organisers_read_the_details_in_the_admin_and_the_secretariat_does_not(client, delegate, workshop):
    visa = visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    detail = reverse("admin:delegations_visaletterrequest_change", args=[visa.pk])
    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    page = client.get(detail)
    assert page.status_code == 200
    assert PASSPORT in page.content.decode()
    changelist = client.get(
        reverse("admin:delegations_visaletterrequest_changelist")
        + f"?status=requested&registration__workshop__id__exact={workshop.pk}"
    )
    assert "Saule Omarova" in changelist.content.decode()
    # Read-only: a POST changes nothing.
    client.post(detail, {"passport_number": "CHANGED99"})
    visa.refresh_from_db()
    assert visa.passport_number == PASSPORT
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    assert client.get(detail).status_code == 403
    assert client.get(reverse("admin:delegations_visaletterrequest_changelist")).status_code == 403


def test_the_admin_list_costs_the_same_queries_for_more_requests(client, workshop, django_assert_max_num_queries):
    for index in range(2):
        registration = approved_delegate(workshop, "KZ", participant_name=f"A{index}")
        visa_request_save(registration=registration, by=registration.user, **_details(workshop))
    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    url = reverse("admin:delegations_visaletterrequest_changelist")
    with django_assert_max_num_queries(40) as baseline:
        assert client.get(url).status_code == 200
    for index in range(8):
        registration = approved_delegate(workshop, "TR", participant_name=f"B{index}")
        visa_request_save(registration=registration, by=registration.user, **_details(workshop))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url).status_code == 200


# The person's data


def test_the_person_exports_their_request_and_an_erasure_deletes_it(client, delegate, workshop):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    client.force_login(delegate.user)
    overview = client.get(reverse("privacy:overview")).content.decode()
    assert PASSPORT in overview
    data = json.loads(zip_of(client.post(reverse("privacy:export"))).read("data.json"))
    assert PASSPORT in json.dumps(data)
    organiser = staff_user("organiser@example.org", ORGANISERS)
    cleanup = erasure_carry_out(request=erasure_request_create(user=delegate.user, reason="Done"), by=organiser)
    assert not VisaLetterRequest.objects.exists()
    assert "visa letter requests deleted: 1" in cleanup.describe()


def test_the_retention_purge_deletes_the_passport_details_of_a_past_workshop(delegate, workshop, settings):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    kept = approved_delegate(WorkshopFactory(), "KZ")
    visa_request_save(registration=kept, by=kept.user, **_details(kept.workshop))
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    move_to_the_past(workshop, ended_days_ago=40)
    cleanup = workshop_purge_personal_data(workshop=workshop, by=None)
    assert "visa letter requests deleted: 1" in cleanup.describe()
    assert list(VisaLetterRequest.objects.values_list("registration_id", flat=True)) == [kept.pk]
    assert not VisaLetterRequest.objects.filter(passport_number=PASSPORT, registration__workshop=workshop).exists()


def test_the_delegate_finds_the_page_from_their_registration_and_dashboard(client, delegate, workshop):
    client.force_login(delegate.user)
    link = _page(delegate)
    assert link in client.get(delegate.get_absolute_url()).content.decode()
    assert link in client.get(reverse("registrations:dashboard")).content.decode()
    waiting = approved_delegate(workshop, "TR", status=RegistrationStatus.WAITLISTED)
    client.force_login(waiting.user)
    assert _page(waiting) not in client.get(waiting.get_absolute_url()).content.decode()


def test_the_page_costs_the_same_queries_whatever_the_other_requests(
    client, delegate, workshop, django_assert_max_num_queries
):
    visa_request_save(registration=delegate, by=delegate.user, **_details(workshop))
    client.force_login(delegate.user)
    with django_assert_max_num_queries(20) as baseline:
        assert client.get(_page(delegate)).status_code == 200
    for index in range(6):
        other = approved_delegate(workshop, "TR", participant_name=f"O{index}")
        visa_request_save(registration=other, by=other.user, **_details(workshop))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(_page(delegate)).status_code == 200


def test_an_error_report_of_the_page_masks_the_passport_details(rf, delegate, workshop):
    from django.views.debug import SafeExceptionReporterFilter

    from delegations.views import visa_request

    request = rf.post(_page(delegate), _form(workshop))
    request.user = delegate.user
    request.session = {}
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    visa_request(request, pk=delegate.pk)
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["passport_number"] != PASSPORT
    assert "OMAROVA" not in cleaned["passport_name"]
    assert cleaned["stay_from"] == _form(workshop)["stay_from"]
