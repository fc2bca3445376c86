"""Headers every page carries, and templates that keep the Content-Security-Policy strict."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from testkit.factories import RegistrationFactory, WorkshopFactory, staff_user
from workshop_portal.roles import ORGANISERS

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_frame_and_sniffing_headers(client):
    workshop = WorkshopFactory(slug="headers")
    registration = RegistrationFactory(workshop=workshop, status="approved")
    pages = [reverse("home"), workshop.get_absolute_url(), reverse("account_login"), reverse("account_signup")]
    logged_in = [
        reverse("registrations:dashboard"),
        registration.get_absolute_url(),
        reverse("registrations:participants", args=[workshop.slug]),
        reverse("reports:my_sessions"),
    ]
    staff = [
        "/admin/",
        reverse("reports:builds", args=[workshop.slug]),
        reverse("registrations:badges", args=[workshop.slug]),
    ]
    checked = 0
    for user, urls in ((None, pages), (registration.user, logged_in), (staff_user("o@example.org", ORGANISERS), staff)):
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            policy = response["Content-Security-Policy"]
            assert "default-src 'self'" in policy, url
            assert "script-src 'self'" in policy, url
            assert "unsafe-inline" not in policy, url
            assert "frame-ancestors 'none'" in policy, url
            assert response["X-Frame-Options"] == "DENY", url
            assert response["X-Content-Type-Options"] == "nosniff", url
            checked += 1
    assert checked == 11


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*.html") if not {"pdf", "email"} & set(p.parts)), ids=str
)
def test_templates_have_no_inline_script_style_or_event_handler(path):
    # PDF and email templates are exempt: WeasyPrint or a mail program renders them, no CSP is
    # involved (and mail programs read only inline styles).
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>"
    assert not INLINE_STYLE.search(text), "inline style"
    assert not INLINE_HANDLER.search(text), "inline event handler"
