"""The secretariat's journey in a real browser: start a proceedings build, watch the progress bar
reach ready, download the PDF and read its first pages, publish it for the participants."""

import time

import pypdf
import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from reports.models import ProceedingsBuild
from tests.e2e.journeys import SECRETARIAT, seed_demo, sign_in
from workshop_portal.demo import DEMO_SLUG
from workshop_portal.models import Workshop

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


def test_the_secretariat_builds_downloads_and_publishes_the_proceedings(
    page, browser, live_server, screenshots, celery_worker_process
):
    started = time.monotonic()
    seed_demo()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    sign_in(page, SECRETARIAT)
    page.goto(f"/workshops/{DEMO_SLUG}/proceedings/")
    expect(page.get_by_text("No build yet.")).to_be_visible()
    page.get_by_role("button", name="Build proceedings").click()

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
    expect(page.locator(".badge", has_text="Ready")).to_be_visible(timeout=180_000)
    expect(progress).to_have_count(0)
    page.screenshot(path=str(screenshots / "secretariat-proceedings.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    reader = pypdf.PdfReader(download_info.value.path())
    first_pages = "\n".join(reader.pages[n].extract_text() for n in range(3))
    assert workshop.title.split(" between")[0] in first_pages.replace("\n", " ")
    assert "Contents" in first_pages
    build = ProceedingsBuild.objects.get(workshop=workshop)
    assert len(reader.pages) == build.page_count > 50

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".badge", has_text="published")).to_be_visible()
    build.refresh_from_db()
    assert build.is_published

    # An approved participant now downloads the published volume.
    participant = browser.new_context(base_url=live_server.url)
    delegate_page = participant.new_page()
    sign_in(delegate_page, "delegate01@demo.example.org")
    response = delegate_page.request.get(f"/workshops/{DEMO_SLUG}/proceedings.pdf")
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
    participant.close()
    print(f"\nsecretariat journey: {time.monotonic() - started:.1f} s, build seen at {seen[:10]}")
