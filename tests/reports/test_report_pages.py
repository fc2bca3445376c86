import pytest
from django.urls import reverse

from reports.models import SessionReport
from reports.services import report_for_session, report_save
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    country_session,
    special_session,
    staff_user,
    verified_user,
)
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")
STARTS = ((8, 0), (9, 30), (11, 0), (13, 0), (14, 30))


@pytest.fixture
def workshop():
    return WorkshopFactory(slug="cooperation", title="Workshop on Cooperation")


@pytest.fixture
def kz_session(workshop):
    return country_session(workshop, "KZ")


@pytest.fixture
def rapporteur(client, kz_session):
    user = verified_user("rapporteur@example.org", first_name="Aigerim", last_name="Bekova")
    kz_session.rapporteur = user
    kz_session.save()
    client.force_login(user)
    return user


def _url(session):
    return reverse("reports:report_edit", args=[session.pk])


def _form(**overrides):
    data = {
        "summary": "A summary.",
        "challenges": "",
        "best_practices": "",
        "expectations": "",
        "recommendations": "",
    }
    data.update(overrides)
    return data


def _country_sessions(workshop):
    return [
        country_session(workshop, code, day=0, start=start, end=(start[0] + 1, start[1]))
        for code, start in zip(COUNTRIES, STARTS, strict=True)
    ]


def _write(session, by, **sections):
    report = report_for_session(session=session)
    for name, text in sections.items():
        setattr(report, name, text)
    return report_save(report=report, by=by)


# The rapporteur's own session


def test_report_edit_shows_the_form_to_the_rapporteur(client, rapporteur, kz_session):
    response = client.get(_url(kz_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Save report" in html
    assert "# Heading" in html
    assert "**strong**" in html
    assert "The preview appears once the report is saved." in html


def test_report_edit_saves_and_counts_revisions(client, rapporteur, kz_session):
    response = client.post(_url(kz_session), _form(challenges="# Findings\n\n- one\n- *two*"))
    assert response.status_code == 302
    assert response["Location"] == _url(kz_session)
    report = SessionReport.objects.get(session=kz_session)
    assert report.revision == 1
    assert report.updated_by == rapporteur
    assert "<h3>Findings</h3>" in report.rendered["challenges"]
    assert "<li>one</li>" in report.rendered["challenges"]
    assert "<li><em>two</em></li>" in report.rendered["challenges"]

    response = client.post(_url(kz_session), _form(summary="Second version."), follow=True)
    report.refresh_from_db()
    assert report.revision == 2
    html = response.content.decode()
    assert "The report is saved (revision 2)." in html
    assert "Second version." in html


def test_report_edit_preview_shows_the_rendered_sections(client, rapporteur, kz_session):
    client.post(_url(kz_session), _form(challenges="# Findings\n\n- one\n- *two*"))
    html = client.get(_url(kz_session)).content.decode()
    assert "<h3>Findings</h3>" in html
    assert "<li><em>two</em></li>" in html


def test_report_edit_strips_scripts_and_event_handlers(client, rapporteur, kz_session):
    hostile = "Intro <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n**kept**"
    client.post(_url(kz_session), _form(summary=hostile, recommendations=hostile))
    report = SessionReport.objects.get(session=kz_session)
    for html in report.rendered.values():
        assert "<script" not in html
        assert "onerror" not in html
        assert "<img" not in html
    assert "<strong>kept</strong>" in report.rendered["summary"]
    page = client.get(_url(kz_session)).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert '<img src="x"' not in page


def test_report_edit_marks_the_report_final(client, rapporteur, kz_session):
    response = client.post(_url(kz_session), _form(is_final="on"), follow=True)
    report = SessionReport.objects.get(session=kz_session)
    assert report.is_final
    assert "Final, revision 1" in response.content.decode()


# Who may edit


def test_report_edit_forbids_another_sessions_rapporteur(client, workshop, kz_session):
    _write(kz_session, staff_user("o@example.org", ORGANISERS), summary="The original.")
    other = country_session(workshop, "KG", start=(11, 0), end=(12, 0))
    other.rapporteur = verified_user("other@example.org")
    other.save()
    client.force_login(other.rapporteur)

    assert client.get(_url(kz_session)).status_code == 403
    assert client.post(_url(kz_session), _form(summary="Overwritten.", is_final="on")).status_code == 403

    report = SessionReport.objects.get(session=kz_session)
    assert report.summary == "The original."
    assert report.revision == 1
    assert not report.is_final


def test_report_edit_forbids_an_ordinary_delegate(client, kz_session):
    client.force_login(verified_user("delegate@example.org"))
    assert client.get(_url(kz_session)).status_code == 403
    assert client.post(_url(kz_session), _form()).status_code == 403
    assert not SessionReport.objects.filter(session=kz_session).exists()


def test_report_edit_needs_a_login(client, kz_session):
    response = client.get(_url(kz_session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_report_edit_of_a_missing_session_is_404(client, rapporteur):
    assert client.get(reverse("reports:report_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [ORGANISERS, SECRETARIAT])
def test_report_edit_is_open_to_organisers_and_secretariat(client, kz_session, role):
    user = staff_user("staff@example.org", role)
    client.force_login(user)
    assert client.get(_url(kz_session)).status_code == 200
    assert client.post(_url(kz_session), _form(summary="By staff.")).status_code == 302
    report = SessionReport.objects.get(session=kz_session)
    assert report.summary == "By staff."
    assert report.updated_by == user


# The special session


def test_special_session_form_carries_the_workshop_conclusions(client, workshop):
    special = special_session(workshop)
    client.force_login(staff_user("o@example.org", ORGANISERS))
    html = client.get(_url(special)).content.decode()
    assert "Conclusions of the workshop" in html
    assert "Recommendations of the workshop" in html


def test_special_session_page_shows_the_country_reports_side_by_side(client, workshop):
    sessions = _country_sessions(workshop)
    special = special_session(workshop)
    organiser = staff_user("o@example.org", ORGANISERS)
    for session in sessions[:4]:
        _write(
            session,
            organiser,
            challenges=f"Challenge of {session.country.code}",
            best_practices=f"Practice of {session.country.code}",
            recommendations=f"Recommendation of {session.country.code}",
        )
    special.rapporteur = verified_user("special@example.org")
    special.save()
    client.force_login(special.rapporteur)

    html = client.get(_url(special)).content.decode()

    for session in sessions[:4]:
        code = session.country.code
        assert f"Challenge of {code}" in html
        assert f"Practice of {code}" in html
        assert f"Recommendation of {code}" in html
    assert html.count("No report yet.") == 1
    assert html.count('class="card h-100"') == 5


def test_special_session_page_query_count_is_flat(
    client, workshop, django_assert_max_num_queries, django_assert_num_queries
):
    sessions = _country_sessions(workshop)
    special = special_session(workshop)
    organiser = staff_user("o@example.org", ORGANISERS)
    _write(special, organiser, summary="Conclusions.")
    client.force_login(organiser)
    for session in sessions[:2]:
        _write(session, organiser, challenges=f"Challenge of {session.country.code}")
    with django_assert_max_num_queries(30) as baseline:
        client.get(_url(special))
    for session in sessions[2:]:
        _write(session, organiser, challenges=f"Challenge of {session.country.code}")
    with django_assert_num_queries(len(baseline.captured_queries)):
        html = client.get(_url(special)).content.decode()
    assert html.count("Challenge of ") == 5


def test_country_session_page_shows_no_country_reports(client, rapporteur, workshop, kz_session):
    kg = country_session(workshop, "KG", start=(11, 0), end=(12, 0))
    _write(kg, staff_user("o@example.org", ORGANISERS), challenges="Challenge of KG")
    html = client.get(_url(kz_session)).content.decode()
    assert "Challenge of KG" not in html


# The list of sessions


def test_my_sessions_lists_the_rapporteurs_sessions(client, rapporteur, kz_session, workshop):
    country_session(workshop, "KG", start=(11, 0), end=(12, 0))
    html = client.get(reverse("reports:my_sessions")).content.decode()
    assert kz_session.display_title in html
    assert _url(kz_session) in html
    assert "No report" in html
    assert "Kyrgyzstan" not in html
    _write(kz_session, rapporteur, summary="Draft.")
    html = client.get(reverse("reports:my_sessions")).content.decode()
    assert "Draft, revision 1" in html


def test_my_sessions_empty_state(client, kz_session):
    client.force_login(verified_user("nobody@example.org"))
    html = client.get(reverse("reports:my_sessions")).content.decode()
    assert "You are not rapporteur of any session." in html
    assert _url(kz_session) not in html


def test_my_sessions_shows_all_published_sessions_to_the_secretariat(client, kz_session):
    unpublished = WorkshopFactory(is_published=False)
    hidden = country_session(unpublished, "KG")
    client.force_login(staff_user("s@example.org", SECRETARIAT))
    html = client.get(reverse("reports:my_sessions")).content.decode()
    assert "Workshop on Cooperation" in html
    assert _url(kz_session) in html
    assert _url(hidden) not in html


def test_my_sessions_needs_a_login(client):
    response = client.get(reverse("reports:my_sessions"))
    assert response.status_code == 302


def test_dashboard_links_rapporteurs_to_their_reports(client, rapporteur):
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("reports:my_sessions") in html


def test_dashboard_has_no_report_link_for_an_ordinary_delegate(client):
    client.force_login(verified_user("delegate@example.org"))
    html = client.get(reverse("registrations:dashboard")).content.decode()
    assert reverse("reports:my_sessions") not in html


def test_dashboard_links_a_registered_rapporteur_to_their_reports_and_not_a_registered_delegate(
    client, workshop, rapporteur
):
    # With registrations, whether they are a rapporteur is read with them (registrations/selectors.py).
    RegistrationFactory(workshop=workshop, user=rapporteur)
    assert reverse("reports:my_sessions") in client.get(reverse("registrations:dashboard")).content.decode()
    delegate = RegistrationFactory(workshop=workshop).user
    client.force_login(delegate)
    assert reverse("reports:my_sessions") not in client.get(reverse("registrations:dashboard")).content.decode()


# Admin


def test_admin_changelist_renders(admin_client, kz_session, rapporteur):
    _write(kz_session, rapporteur, summary="Draft.")
    response = admin_client.get(reverse("admin:reports_sessionreport_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert kz_session.display_title in html
    assert "cooperation" in html


def test_admin_save_renders_and_counts_the_revision(admin_client, kz_session):
    report = report_for_session(session=kz_session)
    url = reverse("admin:reports_sessionreport_change", args=[report.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"session": kz_session.pk, **_form(challenges="- <script>x</script>*a*")})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1
    assert "<script" not in report.rendered["challenges"]
    assert "<em>a</em>" in report.rendered["challenges"]
