import datetime
import io
import time

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.enums import RegistrationStatus
from registrations.models import BadgeBatch, Registration
from testkit.factories import RegistrationFactory, WorkshopFactory, member_state, staff_user, verified_user
from workshop_portal.models import Institution
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def workshop():
    return WorkshopFactory(slug="cooperation", title="Workshop on Cooperation", capacity=50)


@pytest.fixture
def delegate(client):
    user = verified_user("delegate@example.org", first_name="Aigerim", last_name="Bekova")
    client.force_login(user)
    return user


def _form(**overrides):
    data = {
        "honorific": "Ms",
        "participant_name": "Aigerim Bekova",
        "position": "Director, International Cooperation",
        "category": "central_asian_state",
        "member_state": member_state("KZ").pk,
        "institution": "",
        "delegation_role": "head",
        "email": "delegate@example.org",
        "phone": "+7 7172 000000",
        "arrival_date": "",
        "departure_date": "",
        "dietary_needs": "",
        "access_needs": "",
        "consent_to_list": "on",
    }
    data.update(overrides)
    return data


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# Dashboard


def test_dashboard_needs_a_login(client):
    response = client.get(reverse("registrations:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_empty_state_offers_open_workshops(client, delegate, workshop):
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert "You have not registered for a workshop yet" in html
    assert reverse("registrations:register", args=[workshop.slug]) in html


def test_dashboard_shows_each_registration_with_its_status(client, delegate, workshop):
    RegistrationFactory(workshop=workshop, user=delegate, status=S.WAITLISTED)
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert 'data-status="waitlisted"' in html
    assert "you are on the waiting list" in html
    assert reverse("registrations:register", args=[workshop.slug]) not in html


def test_dashboard_query_count_is_flat(client, delegate, django_assert_num_queries):
    RegistrationFactory(user=delegate)
    with django_assert_num_queries(6) as baseline:
        client.get(reverse("registrations:dashboard"))
    RegistrationFactory.create_batch(3, user=delegate)
    WorkshopFactory.create_batch(2)
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("registrations:dashboard"))
    assert response.content.decode().count("data-status=") == 4


# Registering


def test_register_page_shows_the_form_with_the_account_email(client, delegate, workshop):
    html = client.get(reverse("registrations:register", args=[workshop.slug])).content.decode()
    assert 'id="registration-form"' in html
    assert 'value="delegate@example.org"' in html
    assert "js/registration-form" in html


def test_register_creates_a_submitted_registration(client, delegate, workshop):
    response = client.post(reverse("registrations:register", args=[workshop.slug]), _form(), follow=True)
    registration = Registration.objects.get(user=delegate)
    assert registration.status == S.SUBMITTED
    assert registration.member_state.code == "KZ"
    assert response.redirect_chain[-1][0] == registration.get_absolute_url()
    assert "your registration is submitted" in response.content.decode()


def test_register_twice_leads_to_the_existing_registration(client, delegate, workshop):
    url = reverse("registrations:register", args=[workshop.slug])
    client.post(url, _form())
    response = client.post(url, _form(position="Another position"), follow=True)
    assert Registration.objects.filter(user=delegate).count() == 1
    assert Registration.objects.get(user=delegate).position == "Director, International Cooperation"
    assert "You have already registered for this workshop." in response.content.decode()


def test_register_after_closing_date_explains_and_saves_nothing(client, delegate, workshop):
    workshop.registration_closes_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.save()
    url = reverse("registrations:register", args=[workshop.slug])
    response = client.post(url, _form())
    assert response.status_code == 403
    assert "Registration closed on" in response.content.decode()
    assert not Registration.objects.exists()


def test_register_with_a_mismatched_category_shows_the_error_next_to_the_field(client, delegate, workshop):
    response = client.post(
        reverse("registrations:register", args=[workshop.slug]), _form(member_state=member_state("TR").pk)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "is not a Central Asian state" in form.errors["member_state"][0]
    assert "is-invalid" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "Aigerim \u202eevodab",  # a right-to-left override: prints reversed
        "Aigerim\u2066 Bekova\u2069",  # an isolate
        "Aigerim\u200f Bekova",  # a right-to-left mark
        "Aigerim\nBekova",  # a line break on a badge
        "Aigerim\u2028Bekova",  # a line separator
    ],
)
def test_register_refuses_a_name_with_a_hidden_character_and_saves_nothing(client, delegate, workshop, name):
    response = client.post(reverse("registrations:register", args=[workshop.slug]), _form(participant_name=name))
    assert response.status_code == 200
    assert "invisible character" in response.context["form"].errors["participant_name"][0]
    assert not Registration.objects.exists()


def test_register_keeps_the_joiners_persian_names_need(client, delegate, workshop):
    client.post(reverse("registrations:register", args=[workshop.slug]), _form(participant_name="Mehr\u200cdad"))
    assert Registration.objects.get(user=delegate).participant_name == "Mehr\u200cdad"


def test_register_for_an_institution_category_needs_an_institution_of_that_kind(client, delegate, workshop):
    undp = Institution.objects.get(acronym="UNDP")
    response = client.post(
        reverse("registrations:register", args=[workshop.slug]),
        _form(category="oic_institution", member_state="", institution=undp.pk),
    )
    assert "is not an oic institution" in response.context["form"].errors["institution"][0]
    assert not Registration.objects.exists()


def test_register_form_marks_institutions_and_states_for_the_guiding_script(client, delegate, workshop):
    html = client.get(reverse("registrations:register", args=[workshop.slug])).content.decode()
    assert 'data-kind="oic"' in html
    assert 'data-central-asian="true"' in html
    # Member states are sorted by name: Afghanistan comes before Albania, Uzbekistan before Yemen.
    assert html.index(">Afghanistan<") < html.index(">Albania<") < html.index(">Uzbekistan<") < html.index(">Yemen<")


def test_register_for_an_unpublished_workshop_is_not_found(client, delegate):
    draft = WorkshopFactory(is_published=False)
    assert client.get(reverse("registrations:register", args=[draft.slug])).status_code == 404


def test_register_needs_a_login(client, workshop):
    response = client.get(reverse("registrations:register", args=[workshop.slug]))
    assert response.status_code == 302


# Own registration only


@pytest.mark.parametrize("name", ["detail", "edit", "cancel"])
def test_someone_elses_registration_is_not_found(client, delegate, workshop, name):
    other = RegistrationFactory(workshop=workshop)
    url = reverse(f"registrations:{name}", args=[other.pk])
    assert client.get(url).status_code == 404
    if name != "detail":  # the detail page takes no POST at all (405)
        assert client.post(url, _form()).status_code == 404
    other.refresh_from_db()
    assert other.status == S.SUBMITTED


def test_edit_while_submitted_saves_the_changes(client, delegate, workshop):
    registration = RegistrationFactory(workshop=workshop, user=delegate)
    response = client.post(reverse("registrations:edit", args=[registration.pk]), _form(position="Deputy Minister"))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.position == "Deputy Minister"


@pytest.mark.parametrize("status", [S.APPROVED, S.CANCELLED])
def test_edit_after_a_decision_is_refused_with_a_message(client, delegate, workshop, status):
    registration = RegistrationFactory(workshop=workshop, user=delegate, status=status, position="Adviser")
    response = client.post(
        reverse("registrations:edit", args=[registration.pk]), _form(position="Minister"), follow=True
    )
    assert "can no longer be edited" in response.content.decode()
    registration.refresh_from_db()
    assert registration.position == "Adviser"


def test_cancel_asks_first_then_cancels(client, delegate, workshop):
    registration = RegistrationFactory(workshop=workshop, user=delegate, status=S.APPROVED)
    url = reverse("registrations:cancel", args=[registration.pk])
    assert "Cancel your registration?" in client.get(url).content.decode()
    registration.refresh_from_db()
    assert registration.status == S.APPROVED
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


# List of participants


def _participants(workshop):
    kz = RegistrationFactory(workshop=workshop, participant_name="Нурлан Сагинтаев", status=S.APPROVED)
    RegistrationFactory(
        workshop=workshop,
        participant_name="عبد الله الحربي",
        category="oic_partner_state",
        member_state=member_state("SA"),
        status=S.APPROVED,
    )
    RegistrationFactory(
        workshop=workshop,
        participant_name="Anna Petrova",
        category="international_institution",
        member_state=None,
        institution=Institution.objects.get(acronym="UNDP"),
        status=S.APPROVED,
    )
    RegistrationFactory(workshop=workshop, participant_name="Hidden Person", status=S.APPROVED, consent_to_list=False)
    RegistrationFactory(workshop=workshop, participant_name="Not Yet Approved", status=S.SUBMITTED)
    return kz


def test_participant_list_is_grouped_and_shows_only_consenting_approved_people(client, workshop):
    me = _participants(workshop)
    client.force_login(me.user)
    html = client.get(reverse("registrations:participants", args=[workshop.slug])).content.decode()
    assert "Hidden Person" not in html
    assert "Not Yet Approved" not in html
    assert html.index("Kazakhstan") < html.index("Saudi Arabia") < html.index("Other international institution")
    assert html.index("Нурлан Сагинтаев") < html.index("عبد الله الحربي") < html.index("Anna Petrova")
    assert "3 participants" in html


def test_participant_list_is_closed_to_a_delegate_not_yet_approved(client, workshop):
    waiting = RegistrationFactory(workshop=workshop, status=S.SUBMITTED)
    client.force_login(waiting.user)
    assert client.get(reverse("registrations:participants", args=[workshop.slug])).status_code == 403


def test_participant_list_is_open_to_the_secretariat(client, workshop):
    _participants(workshop)
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    response = client.get(reverse("registrations:participants", args=[workshop.slug]))
    assert response.status_code == 200
    assert reverse("registrations:participants_pdf", args=[workshop.slug]) in response.content.decode()


def test_participant_list_query_count_is_flat(client, workshop, django_assert_num_queries):
    me = _participants(workshop)
    client.force_login(me.user)
    url = reverse("registrations:participants", args=[workshop.slug])
    with django_assert_num_queries(6) as baseline:
        client.get(url)
    for code in ("TR", "MY", "EG", "AZ"):
        RegistrationFactory(
            workshop=workshop, category="oic_partner_state", member_state=member_state(code), status=S.APPROVED
        )
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(url)


def test_participant_list_pdf_reads_back_with_its_names(client, workshop):
    _participants(workshop)
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    response = client.get(reverse("registrations:participants_pdf", args=[workshop.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "List of participants" in text
    assert "Нурлан Сагинтаев" in text
    assert "Anna Petrova" in text
    assert "Hidden Person" not in text
    assert text.index("Kazakhstan") < text.index("Saudi Arabia")


def test_participant_list_pdf_is_refused_to_an_approved_delegate(client, workshop):
    me = _participants(workshop)
    client.force_login(me.user)
    assert client.get(reverse("registrations:participants_pdf", args=[workshop.slug])).status_code == 403


# Badges and check-in


@pytest.fixture
def organiser(client):
    user = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(user)
    return user


def _wait_until_done(batch: BadgeBatch, timeout: float = 60) -> BadgeBatch:
    deadline = time.monotonic() + timeout
    while batch.is_pending and time.monotonic() < deadline:
        time.sleep(0.1)
        batch.refresh_from_db()
    return batch


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_badges_are_rendered_for_approved_delegates_and_downloaded(client, celery_worker_process, organiser, workshop):
    RegistrationFactory(
        workshop=workshop, participant_name="Айзада Турдубаева", status=S.APPROVED, consent_to_list=False
    )
    RegistrationFactory(workshop=workshop, participant_name="Selim Aksoy", status=S.APPROVED)
    RegistrationFactory(workshop=workshop, participant_name="Waiting Delegate", status=S.WAITLISTED)
    response = client.post(reverse("registrations:badges", args=[workshop.slug]), follow=True)
    assert response.status_code == 200
    batch = _wait_until_done(BadgeBatch.objects.get(workshop=workshop))
    assert batch.status == "ready", batch.error
    assert batch.badge_count == 2
    download = client.get(reverse("registrations:badge_download", args=[batch.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    text = _pdf_text(b"".join(download.streaming_content))
    assert "Айзада Турдубаева" in text
    assert "Selim Aksoy" in text
    assert "Waiting Delegate" not in text


def test_badges_page_is_refused_to_the_secretariat_and_delegates(client, workshop):
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    assert client.get(reverse("registrations:badges", args=[workshop.slug])).status_code == 403
    client.force_login(RegistrationFactory(workshop=workshop, status=S.APPROVED).user)
    assert client.post(reverse("registrations:badges", args=[workshop.slug])).status_code == 403
    assert not BadgeBatch.objects.exists()


def test_check_in_shows_the_delegate_and_marks_arrival_on_post_only(client, organiser, workshop):
    registration = RegistrationFactory(workshop=workshop, participant_name="Selim Aksoy", status=S.APPROVED)
    url = reverse("registrations:check_in", args=[registration.badge_token])
    html = client.get(url).content.decode()
    assert "Selim Aksoy" in html
    assert "Mark as arrived" in html
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    client.post(url)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    response = client.post(url, follow=True)
    assert "Already checked in" in response.content.decode()


def test_check_in_warns_about_a_delegate_not_approved(client, organiser, workshop):
    registration = RegistrationFactory(workshop=workshop, status=S.DECLINED)
    url = reverse("registrations:check_in", args=[registration.badge_token])
    assert "do not admit" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "only approved delegates can be checked in" in response.content.decode()


def test_check_in_is_refused_to_delegates_and_unknown_codes_are_not_found(client, organiser, workshop):
    assert client.get(reverse("registrations:check_in", args=["not-a-code"])).status_code == 404
    registration = RegistrationFactory(workshop=workshop, status=S.APPROVED)
    client.force_login(registration.user)
    assert client.post(reverse("registrations:check_in", args=[registration.badge_token])).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None
