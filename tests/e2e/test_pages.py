"""Pages worth using, checked in a real browser: the programme on a phone and a desktop, empty
states that say what to do next, status badges, and no serious accessibility violation (axe-core)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from demo.seed import DEMO_SLUG, UPCOMING_SLUG
from registrations.models import Registration
from tests.e2e.journeys import (
    LANGUAGES,
    ORGANISER,
    SECRETARIAT,
    expect_language,
    seed_demo,
    sign_in,
    switch_language,
    t,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DELEGATE = "delegate01@demo.example.org"
PHONE, DESKTOP = 390, 1280


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_programme_reads_on_a_phone_and_a_desktop(page, screenshots, language):
    seed_demo()
    page.goto(f"/workshops/{DEMO_SLUG}/")
    switch_language(page, language)
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/workshops/{DEMO_SLUG}/")
        expect_language(page, language)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a phone, in any language.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{overflow}px wider than a {width}px screen ({language})"
        page.screenshot(path=str(screenshots / f"programme-{language}-{width}.png"), full_page=True)
    # On a phone the navigation folds behind its toggle, which opens it.
    page.set_viewport_size({"width": PHONE, "height": 900})
    toggle = page.get_by_role("button", name=t(language, "Toggle navigation"))
    expect(toggle).to_be_visible()
    toggle.click()
    expect(page.get_by_role("link", name=t(language, "Sign in"))).to_be_visible()


def test_main_pages_have_no_serious_accessibility_violations(page, browser, live_server):
    seed_demo()
    found: list[str] = []
    for path in [
        "/",
        f"/workshops/{DEMO_SLUG}/",
        f"/workshops/{UPCOMING_SLUG}/",
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        page.goto(path)
        found += _serious_violations(page)
    sign_in(page, DELEGATE)
    registration = Registration.objects.filter(user__email=DELEGATE).first()
    presentation = registration.presentations.first()
    pages = ["/dashboard/", registration.get_absolute_url(), f"/workshops/{DEMO_SLUG}/participants/"]
    pages += [f"/workshops/{UPCOMING_SLUG}/register/", "/account/data/", "/account/data/erasure/"]
    if presentation:
        pages.append(presentation.get_absolute_url())
    for path in pages:
        page.goto(path)
        found += _serious_violations(page)
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, SECRETARIAT)
    for path in [f"/workshops/{DEMO_SLUG}/proceedings/", "/reports/"]:
        staff.goto(path)
        found += _serious_violations(staff)
    staff.context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_badges_and_empty_states_tell_what_to_do_next(page, language):
    seed_demo()
    sign_in(page, DELEGATE)
    page.goto("/dashboard/")
    switch_language(page, language)
    # Each registration and presentation carries a visible status badge.
    cards = page.locator("#registrations-heading ~ article")
    expect(cards.first.locator(".badge")).to_be_visible()
    assert cards.count() == cards.locator(".badge").count()
    expect(page.locator("#presentations-heading ~ .card .badge").first).to_be_visible()

    # An organiser with no build yet is told how to start one (the switcher's cookie keeps the language).
    page.context.clear_cookies()
    sign_in(page, ORGANISER)
    page.goto(f"/workshops/{UPCOMING_SLUG}/proceedings/")
    switch_language(page, language)
    no_build = "No build yet. Press “Build proceedings” when the reports and presentations are in."
    expect(page.get_by_text(t(language, no_build))).to_be_visible()


def test_the_api_documentation_renders_its_operations_under_the_content_security_policy(page):
    """/api/docs/ is Swagger UI served from the portal (drf-spectacular-sidecar): it must draw the
    operations of /api/schema/ with the same policy as every page, and the policy must block nothing."""
    page.add_init_script(
        "window.__blocked = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__blocked.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    response = page.goto("/api/docs/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=15_000)
    schema = page.request.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}).json()
    operations = [method for path in schema["paths"].values() for method in path if method in {"get", "post"}]
    assert len(operations) >= 9
    assert page.locator(".swagger-ui .opblock").count() == len(operations)
    expect(page.get_by_text("Workshop portal API").first).to_be_visible()
    assert page.evaluate("window.__blocked") == []
