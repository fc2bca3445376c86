"""Every email the portal sends, received by a real SMTP server on loopback and read as raw MIME:
a text and an HTML part, the portal's name, links on the portal's address, the recipient's language.
The account emails (allauth) are in tests/registrations/test_account_emails.py."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from privacy.notices import erasure_request_notify
from registrations.enums import RegistrationNotice
from registrations.tasks import send_registration_email
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.build_job import notify_requester
from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory, staff_user, verified_user
from tests.smtp import BASE_URL, check_portal_email, parts, subject, tr
from workshop_portal.models import ErasureRequest
from workshop_portal.roles import ORGANISERS, SECRETARIAT
from workshop_portal.settings.addresses import portal_base_url

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL


# --- The registration notices ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("notice", list(RegistrationNotice))
def test_each_registration_notice_has_both_parts_and_the_portals_links(
    smtp, notice, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(user=UserFactory(email="delegate@example.org"), participant_name="Aida Bek")
    # Through the task, as a worker sends it: no request anywhere.
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        send_registration_email.run(registration_id=registration.pk, notice=notice.value)
    [message] = smtp.wait_for(1, to="delegate@example.org")
    text, html = check_portal_email(message)
    assert subject(message) == f"{notice.label}: {registration.workshop.title}"
    assert "Dear Aida Bek," in text
    assert "Dear Aida Bek," in html
    assert message["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_portal_name_is_a_setting(smtp, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_NAME = "OIC & Central Asia Workshops"
    registration = RegistrationFactory(user=UserFactory(email="delegate@example.org"))
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        send_registration_email.run(registration_id=registration.pk, notice=RegistrationNotice.APPROVED.value)
    [message] = smtp.wait_for(1)
    _text, html = check_portal_email(message, name="OIC & Central Asia Workshops")
    assert "OIC &amp; Central Asia Workshops" in html  # escaped in HTML, as it is in text


@pytest.mark.django_db
def test_a_russian_delegate_gets_russian_and_an_arabic_delegate_arabic_right_to_left(
    smtp, django_capture_on_commit_callbacks
):
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    for language in ("ru", "ar"):
        user = UserFactory(email=f"{language}@example.org", language=language)
        registration = RegistrationFactory(workshop=workshop, user=user, participant_name="Aida Bek")
        # Whatever the language of the page that caused it.
        with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):  # sent on commit
            send_registration_email.run(registration_id=registration.pk, notice=RegistrationNotice.APPROVED.value)
        [message] = smtp.wait_for(1, to=f"{language}@example.org")
        portal = tr(language, "Workshop portal")
        text, html = check_portal_email(message, name=portal)
        dear = tr(language, "Dear %(name)s,", name="Aida Bek")
        assert dear in text
        assert dear in html
        notice = tr(language, "Registration approved")
        assert subject(message) == tr(language, "%(notice)s: %(title)s", notice=notice, title=workshop.title)
        assert message["Content-Language"] == language
        assert f'lang="{language}"' in html
        assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    assert re.search(r"[А-Яа-я]{4}", parts(smtp.messages("ru@example.org")[0])[0])
    assert re.search(r"[\u0600-\u06ff]{4}", parts(smtp.messages("ar@example.org")[0])[0])


@pytest.mark.django_db
def test_text_is_escaped_in_the_html_part(smtp, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(user=UserFactory(email="delegate@example.org"), participant_name="<b>Bold</b>")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        send_registration_email.run(registration_id=registration.pk, notice=RegistrationNotice.RECEIVED.value)
    text, html = parts(smtp.wait_for(1)[0])
    assert "Dear <b>Bold</b>," in text
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert "<b>Bold</b>" not in html


# --- The erasure notice to organisers and the proceedings emails -------------------------------


@pytest.mark.django_db
def test_the_erasure_notice_reaches_each_organiser_in_their_language(smtp, django_capture_on_commit_callbacks):
    staff_user("organiser-en@example.org", ORGANISERS)
    russian = staff_user("organiser-ru@example.org", ORGANISERS)
    russian.language = "ru"
    russian.save(update_fields=["language"])
    person = verified_user("leaving@example.org")
    request = ErasureRequest.objects.create(user=person, email=person.email, reason="I left the ministry.")
    with django_capture_on_commit_callbacks(execute=True):
        assert erasure_request_notify(request_id=request.pk) == 2
    [english] = smtp.wait_for(1, to="organiser-en@example.org")
    text, _html = check_portal_email(english)
    assert subject(english) == "Erasure requested: leaving@example.org"
    assert f"{BASE_URL}/admin/workshop_portal/erasurerequest/{request.pk}/change/" in text
    assert "I left the ministry." in text
    [russian_message] = smtp.wait_for(1, to="organiser-ru@example.org")
    text, _html = check_portal_email(russian_message, name=tr("ru", "Workshop portal"))
    assert subject(russian_message) == tr("ru", "Erasure requested: %(email)s", email="leaving@example.org")


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "title"), [("ready", "Proceedings ready"), ("failed", "Proceedings build failed")])
def test_the_proceedings_emails(smtp, status, title, django_capture_on_commit_callbacks):
    requester = staff_user("secretary@example.org", SECRETARIAT)
    workshop = WorkshopFactory(title="Workshop on Cooperation")
    build = ProceedingsBuild.objects.create(
        workshop=workshop,
        requested_by=requester,
        inputs_hash="x",
        manifest={"sessions": []},
        status=BuildStatus(status),
        page_count=12,
        error="disk full",
    )
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
        notify_requester(build.pk)
    [message] = smtp.wait_for(1, to="secretary@example.org")
    text, _html = check_portal_email(message)
    assert subject(message) == f"{title}: Workshop on Cooperation"
    assert f"{BASE_URL}/workshops/{workshop.slug}/proceedings/" in text


# --- The portal's address, when PORTAL_BASE_URL is not set --------------------------------------


def test_the_base_url_follows_the_host_and_port_the_server_runs_on():
    assert portal_base_url({}) == "http://127.0.0.1:8000"
    assert portal_base_url({"PORTAL_PORT": "8101"}) == "http://127.0.0.1:8101"
    assert portal_base_url({"PORTAL_HOST": "localhost", "PORTAL_PORT": "8101"}) == "http://localhost:8101"
    # Listening on every interface: this machine reaches it on the loopback address.
    assert portal_base_url({"PORTAL_HOST": "0.0.0.0", "PORTAL_PORT": "9000"}) == "http://127.0.0.1:9000"
    assert portal_base_url({"PORTAL_HOST": "::1", "PORTAL_PORT": "9000"}) == "http://[::1]:9000"
    assert portal_base_url({"PORTAL_HOST": "[::1]", "PORTAL_PORT": "9000"}) == "http://[::1]:9000"
    # An explicit address wins.
    explicit = {"PORTAL_BASE_URL": "https://portal.example.org/", "PORTAL_PORT": "8101"}
    assert portal_base_url(explicit) == "https://portal.example.org"


def _settings_in_a_fresh_process(**environment) -> list[str]:
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.urls import reverse\n"
        "from workshop_portal.account_adapter import AccountAdapter\n"
        "print(settings.PORTAL_BASE_URL)\n"
        "print(AccountAdapter().get_reset_password_from_key_url('2-key'))\n"
        "print(' '.join(settings.ALLOWED_HOSTS))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_", "REDIS_"))}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_make_run_on_another_port_gives_links_to_that_port(tmp_path):
    """`make run PORT=8101` hands HOST and PORT to seed_demo and runserver; settings derive the links."""
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8101", "HOST=127.0.0.2"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert dry_run.returncode == 0, dry_run.stderr
    commands = [line for line in dry_run.stdout.splitlines() if "manage.py seed_demo" in line or "runserver" in line]
    assert len(commands) == 2
    assert all("PORTAL_HOST=127.0.0.2 PORTAL_PORT=8101 " in line for line in commands)
    base_url, reset_link, allowed = _settings_in_a_fresh_process(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.base",
        PORTAL_VAR_DIR=str(tmp_path),
        PORTAL_HOST="127.0.0.2",
        PORTAL_PORT="8101",
    )
    assert base_url == "http://127.0.0.2:8101"
    assert reset_link == "http://127.0.0.2:8101/accounts/password/reset/key/2-key/"
    assert "127.0.0.2" in allowed.split()


def test_production_links_default_to_https_on_the_first_allowed_host():
    base_url, reset_link, _allowed = _settings_in_a_fresh_process(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.production",
        DJANGO_SECRET_KEY="kV3q8-Zt0mPq_s7Lx2Wc9Yh4Rb6Nf1Jd5Gk0Tz8Ua3Ew7Io2Py6Qr4Ss9Vu1Xb3Nm",
        DJANGO_ALLOWED_HOSTS=".portal.example.org,other.example.org",
    )
    assert base_url == "https://portal.example.org"
    assert reset_link.startswith("https://portal.example.org/accounts/password/reset/key/")
