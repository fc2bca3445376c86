import pytest
from django.urls import reverse

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_models import Recommendation
from testkit.factories import approved_delegate, institution_delegate, verified_user
from tests.outcomes.followup_support import organiser, workshop_in_series

pytestmark = pytest.mark.django_db


def _post(client, workshop, kind, data):
    return client.post(reverse(f"outcomes:board_{kind}_create", args=[workshop.slug]), data)


def test_board_needs_and_offers_match_by_sector_and_a_match_becomes_a_recommendation(client):
    workshop = workshop_in_series()
    kz, tr = approved_delegate(workshop, "KZ"), approved_delegate(workshop, "TR")
    client.force_login(kz.user)
    assert (
        _post(client, workshop, "need", {"sector": "water", "description": "Irrigation", "contact": "A"}).status_code
        == 302
    )
    assert _post(client, workshop, "offer", {"sector": "water"}).status_code == 403  # a Central Asian state needs
    client.force_login(tr.user)
    offer = {"sector": "water", "modality": "training", "capacity": "20", "description": "Drip", "contact": "B"}
    assert _post(client, workshop, "offer", offer).status_code == 302
    need, made = CooperationNeed.objects.get(), CooperationOffer.objects.get()
    assert (need.member_state.code, made.member_state.code) == ("KZ", "TR")
    page = client.get(reverse("outcomes:board_index", args=[workshop.slug])).content.decode()
    assert f'data-match="{need.pk}-{made.pk}"' in page
    assert "Matches for you" in page
    client.force_login(organiser())
    url = reverse("outcomes:board_recommend", args=[workshop.slug])
    response = client.post(url, {"need": need.pk, "offer": made.pk})
    assert response.status_code == 302
    item = Recommendation.objects.get()
    assert (item.member_state.code, item.need, item.offer) == ("TR", need, made)


def test_board_is_the_approved_participants_only_and_hidden_posts_leave_it(client):
    workshop = workshop_in_series()
    CooperationNeed.objects.create(workshop=workshop, sector="energy", description="Grid", contact="C", is_hidden=True)
    client.force_login(verified_user("stranger@example.org"))
    assert client.get(reverse("outcomes:board_index", args=[workshop.slug])).status_code == 404
    client.force_login(approved_delegate(workshop, "KZ").user)
    assert "Grid" not in client.get(reverse("outcomes:board_index", args=[workshop.slug])).content.decode()


def test_board_query_count_stays_flat(client, django_assert_max_num_queries):
    workshop = workshop_in_series()
    delegate = approved_delegate(workshop, "KZ")
    partner = institution_delegate(workshop)
    client.force_login(delegate.user)
    url = reverse("outcomes:board_index", args=[workshop.slug])

    def grow(n):
        for i in range(n):
            CooperationNeed.objects.create(
                workshop=workshop, sector="health", description=f"N{i}", contact="x", member_state=delegate.member_state
            )
            CooperationOffer.objects.create(
                workshop=workshop,
                sector="health",
                description=f"O{i}",
                contact="y",
                capacity="1",
                modality="funding",
                institution=partner.institution,
            )

    grow(1)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    grow(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).content.decode().count("data-match=") == 36
