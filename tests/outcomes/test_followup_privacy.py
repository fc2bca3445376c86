"""The follow-up and the board in the personal data registry: export, erasure, retention purge."""

import pytest
from django.urls import reverse

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_models import RecommendationUpdate
from outcomes.recommendations import recommendation_post_update
from privacy.erasure import erasure_carry_out, erasure_request_create
from privacy.export import privacy_summary
from privacy.purge import workshop_purge_personal_data
from testkit.factories import approved_delegate, member_state
from tests.outcomes.followup_support import focal_point, organiser, recorded, workshop_in_series
from workshop_portal.personal_data import sources

pytestmark = pytest.mark.django_db

EMAIL = "focal.tj@example.org"


def _source():
    return next(s for s in sources() if s.key == "outcomes.followup")


def _follow_up_and_board(workshop):
    point = focal_point(workshop, "TJ", EMAIL)
    item = recorded(workshop, by=organiser())
    recommendation_post_update(
        recommendation=item, status="in_progress", note="Centre opened in Dushanbe.", by=point.user
    )
    delegate = approved_delegate(workshop, "TJ", user=point.user)
    need = CooperationNeed.objects.create(
        workshop=workshop, sector="water", description="Irrigation", contact=f"Rustam, {EMAIL}",
        member_state=member_state("TJ"), posted_by=delegate.user,
    )  # fmt: skip
    # Posted by a colleague, naming the person as contact point.
    offer = CooperationOffer.objects.create(
        workshop=workshop, sector="water", description="Drip", contact=f"Ask {EMAIL.upper()}", capacity="10",
        modality="training", member_state=member_state("TR"),
    )  # fmt: skip
    other = CooperationNeed.objects.create(
        workshop=workshop, sector="energy", description="Grid", contact="someone@example.org",
        member_state=member_state("KZ"),
    )  # fmt: skip
    return point.user, item, need, offer, other


def test_the_export_and_the_summary_hold_the_updates_and_the_posts_that_name_the_person():
    workshop = workshop_in_series()
    user, item, _need, _offer, _other = _follow_up_and_board(workshop)
    data = _source().export(user).data
    assert [(u["recommendation"], u["status"], u["note"]) for u in data["follow_up_updates"]] == [
        (item.number, "in_progress", "Centre opened in Dushanbe.")
    ]
    assert [(n["description"], n["posted_by_you"]) for n in data["cooperation_needs"]] == [("Irrigation", True)]
    assert [(o["description"], o["posted_by_you"]) for o in data["cooperation_offers"]] == [("Drip", False)]
    (section,) = [s for s in privacy_summary(user=user) if s.key == "outcomes.followup"]
    assert len(section.items) == 3


def test_an_erasure_keeps_the_history_readable_without_the_author_or_the_contact_points(client):
    workshop = workshop_in_series()
    user, item, need, offer, other = _follow_up_and_board(workshop)
    request = erasure_request_create(user=user, reason="")
    erasure_carry_out(request=request, by=organiser("second-organiser@example.org"))
    update = RecommendationUpdate.objects.get()
    assert (update.posted_by, update.note, update.status) == (None, "Centre opened in Dushanbe.", "in_progress")
    assert update.posted_as == "Focal point of Tajikistan"  # a role, not a name
    need.refresh_from_db()
    offer.refresh_from_db()
    other.refresh_from_db()
    assert (need.contact, need.posted_by, need.description) == ("", None, "Irrigation")
    assert offer.contact == ""
    assert other.contact == "someone@example.org"
    response = client.get(reverse("outcomes:recommendation_detail", args=[item.pk]))
    assert "Centre opened in Dushanbe." in response.content.decode()


def test_the_retention_purge_anonymises_the_workshops_follow_up_and_board():
    workshop = workshop_in_series(days_ago=5000)
    _follow_up_and_board(workshop)
    cleanup = workshop_purge_personal_data(workshop=workshop, by=None)
    assert "follow-up updates made anonymous: 1" in cleanup.describe()
    assert "contact points of cooperation needs and offers deleted: 3" in cleanup.describe()
    assert not RecommendationUpdate.objects.exclude(posted_by=None).exists()
    assert set(CooperationNeed.objects.values_list("contact", flat=True)) == {""}
    assert set(CooperationOffer.objects.values_list("contact", flat=True)) == {""}
    again = workshop_purge_personal_data(workshop=workshop, by=None)
    assert "follow-up" not in again.describe()
