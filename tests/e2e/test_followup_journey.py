"""A focal point follows up a recommendation addressed to their state in a real browser, then sees
its new status on the series' public tracker."""

import pytest
from playwright.sync_api import expect

from outcomes.followup_models import RecommendationUpdate
from tests.e2e.journeys import sign_in
from tests.outcomes.followup_support import focal_point, organiser, recorded, workshop_in_series

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_focal_point_posts_a_follow_up_update_and_the_tracker_shows_it(page):
    workshop = workshop_in_series("journey-series")
    point = focal_point(workshop, "TJ", "focal-journey@example.org")
    point.user.set_password("follow-up-pass-2026")
    point.user.save()
    by = organiser()
    ours = recorded(workshop, "TJ", by=by, text="Open a training centre for irrigation engineers.")
    recorded(workshop, "KZ", by=by, text="Share the statistics of the development agency.")
    sign_in(page, point.user.email, "follow-up-pass-2026")

    page.goto("/recommendations/mine/")
    expect(page.get_by_text("Open a training centre for irrigation engineers.")).to_be_visible()
    expect(page.get_by_text("Share the statistics of the development agency.")).to_have_count(0)  # Kazakhstan's
    page.locator(f"[data-recommendation='{ours.pk}'] a").click()
    page.get_by_role("link", name="Post a follow-up update").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("What happened").fill("The curriculum is agreed with two universities.")
    page.get_by_role("button", name="Post the update").click()

    expect(page.get_by_text("Your update is posted.")).to_be_visible()
    expect(page.get_by_text("The curriculum is agreed with two universities.")).to_be_visible()
    expect(page.get_by_text("Focal point of Tajikistan")).to_be_visible()
    page.goto("/series/journey-series/")
    expect(page.locator(f"[data-recommendation='{ours.pk}']")).to_contain_text("In progress")
    update = RecommendationUpdate.objects.get()
    assert (update.recommendation, update.status, update.posted_by) == (ours, "in_progress", point.user)
