"""The secretariat's journey in a real browser, in each language of the portal: start a proceedings
build, watch the progress bar reach ready, download the PDF (in the page's language) and read its
first pages, publish it for the participants."""

import hashlib
import time
import unicodedata

import pypdf
import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from demo.seed import DEMO_SLUG
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from tests.e2e.journeys import (
    LANGUAGES,
    SECRETARIAT,
    expect_language,
    in_language,
    seed_demo,
    sign_in,
    switch_language,
    t,
)
from workshop_portal.models import Workshop

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_secretariat_builds_downloads_and_publishes_the_proceedings(
    page, browser, live_server, screenshots, celery_worker_process, language
):
    started = time.monotonic()
    seed_demo()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    sign_in(page, SECRETARIAT)
    page.goto(f"/workshops/{DEMO_SLUG}/proceedings/")
    switch_language(page, language)
    no_build = "No build yet. Press “Build proceedings” when the reports and presentations are in."
    expect(page.get_by_text(t(language, no_build))).to_be_visible()
    # The volume is offered in the page's language.
    expect(page.locator("#build-language")).to_have_value(language)
    page.get_by_role("button", name=t(language, "Build proceedings")).click()

    progress = page.locator("progress")
    seen = []
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # With a worker the page follows the build: the bar fills, then the page reloads ready.
        expect(progress).to_be_visible()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and progress.count():
            # The script moves the bar's value property; the attribute keeps the first render's.
            try:
                value = progress.evaluate("bar => bar.value", timeout=1_000)
            except PlaywrightError:  # the page reloaded under us: the build has finished
                break
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
            time.sleep(0.05)
        assert seen
        assert max(seen) > min(seen), f"the bar never moved: {seen}"
    ready = in_language(language, BuildStatus.READY.label)
    expect(page.locator(".badge", has_text=ready)).to_be_visible(timeout=180_000)
    expect(progress).to_have_count(0)
    expect_language(page, language)
    page.screenshot(path=str(screenshots / f"secretariat-proceedings-{language}.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=t(language, "Web edition"), exact=True).click()
    reader = pypdf.PdfReader(download_info.value.path())
    first_pages = "\n".join(reader.pages[n].extract_text() for n in range(3))
    # Arabic comes out of the PDF in presentation forms, and with the isolates the templates add.
    first_pages = unicodedata.normalize("NFKC", first_pages).replace("\u2068", "").replace("\u2069", "")
    assert workshop.title.split(" between")[0] in first_pages.replace("\n", " ")
    assert t(language, "Contents") in first_pages
    build = ProceedingsBuild.objects.get(workshop=workshop)
    assert len(reader.pages) == build.page_count > 50

    page.get_by_role("button", name=t(language, "Publish")).click()
    expect(page.locator(".badge", has_text=t(language, "published"))).to_be_visible()
    build.refresh_from_db()
    assert build.is_published

    # An approved participant now downloads the published volume.
    participant = browser.new_context(base_url=live_server.url)
    delegate_page = participant.new_page()
    sign_in(delegate_page, "delegate01@demo.example.org")
    delegate_page.goto(f"/workshops/{DEMO_SLUG}/proceedings/published/")
    editions = delegate_page.locator("h2[id$='-edition']").evaluate_all("nodes => nodes.map(n => n.id)")
    assert editions == ["web-edition", "print-edition"]  # the web edition first
    response = delegate_page.request.get(f"/workshops/{DEMO_SLUG}/proceedings.pdf")
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
    assert hashlib.sha256(response.body()).hexdigest() == build.web_sha256
    participant.close()
    print(f"\nsecretariat journey ({language}): {time.monotonic() - started:.1f} s, build seen at {seen[:10]}")
