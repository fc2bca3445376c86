"""Languages in a real browser: the switcher, Arabic laid out right to left, the choice kept."""

import pytest
from playwright.sync_api import expect

from demo.seed import DEMO_SLUG
from tests.e2e.journeys import seed_demo, sign_in
from workshop_portal.models import User

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DELEGATE = "delegate01@demo.example.org"


def _switch_to(page, code: str) -> None:
    page.locator("#language-menu").click()
    page.locator(f"button[name=language][value={code}]").click()


def test_arabic_reads_right_to_left_and_the_choice_is_kept(page, screenshots):
    seed_demo()
    sign_in(page, DELEGATE)
    page.goto(f"/workshops/{DEMO_SLUG}/")
    _switch_to(page, "ar")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    # Bootstrap's RTL sheet is the one in use: the page's text starts on the right.
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("link[href*='bootstrap.rtl']").count() == 1
    brand = page.locator(".navbar-brand").bounding_box()
    toggler_or_menu = page.locator("#language-menu").bounding_box()
    assert brand["x"] > toggler_or_menu["x"], "in Arabic the brand sits on the right, the menus on the left"
    page.screenshot(path=str(screenshots / "programme-ar-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=str(screenshots / "programme-ar-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert User.objects.get(email=DELEGATE).language == "ar"

    # Signed in again in a fresh browser, the account's language wins over the browser's English.
    page.context.clear_cookies()
    sign_in(page, DELEGATE)
    page.goto("/dashboard/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    for code in ("fr", "ru", "en"):
        _switch_to(page, code)
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
