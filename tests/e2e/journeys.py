"""What the journeys share: the demo workshop, its people, and waiting on the page like a person."""

import io
import re

from django.core.management import call_command

from workshop_portal.demo import UPCOMING_SLUG
from workshop_portal.models import User, Workshop

DEMO_PASSWORD = "ankara-2012-demo"
ORGANISER = "organiser@demo.example.org"
SECRETARIAT = "secretariat@demo.example.org"


def seed_demo() -> Workshop:
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    return Workshop.objects.get(slug=UPCOMING_SLUG)


def organiser() -> User:
    return User.objects.get(email=ORGANISER)


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def link_in(text: str) -> str:
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
    assert match, text
    return match.group(0)
