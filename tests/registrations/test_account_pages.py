"""django-allauth's account pages render inside the site layout, with Bootstrap forms and no inline code."""

import re

import pytest
from django.urls import reverse

PASSWORD = "correct-horse-battery"

# A <script> element without a src attribute, or any on* event-handler attribute.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_site_layout(html: str) -> None:
    assert "Workshop portal" in html
    assert 'class="navbar-brand"' in html
    assert "vendor/bootstrap-5.3.9/css/bootstrap" in html
    assert "css/portal.css" in html
    # allauth's content sits in the centred card, not straight in <main>.
    assert "row justify-content-center" in html
    assert 'class="card shadow-sm account-card"' in html


def assert_csp_safe(html: str) -> None:
    assert "style=" not in html
    assert "<style" not in html
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "inputs"),
    [
        ("account_login", ['id="id_login"', 'id="id_password"']),
        ("account_signup", ['id="id_email"', 'id="id_password1"', 'id="id_password2"']),
        ("account_reset_password", ['id="id_email"']),
    ],
)
def test_form_pages_use_the_site_layout_and_bootstrap_controls(client, url_name, inputs):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert_csp_safe(html)
    assert "col-md-6 col-lg-5" in html
    for input_id in inputs:
        field_id = input_id.split('"')[1]
        assert re.search(rf'<input[^>]*class="form-control"[^>]*{input_id}', html)
        assert f'<label class="form-label" for="{field_id}">' in html
    assert 'class="btn btn-primary"' in html


@pytest.mark.django_db
def test_login_page_shows_remember_me_as_a_form_check(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<div class="form-check mb-3">' in html
    assert re.search(r'<input type="checkbox"\s+class="form-check-input"\s+id="id_remember"', html)
    assert '<label class="form-check-label" for="id_remember">' in html
    # The password's help text (the reset link) is tied to its field.
    assert 'aria-describedby="id_password_helptext"' in html
    assert 'id="id_password_helptext"' in html


@pytest.mark.django_db
def test_verification_sent_page_uses_the_site_layout(client):
    response = client.get(reverse("account_email_verification_sent"))

    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert_csp_safe(html)
    assert '<h1 class="h3 mb-3">' in html


@pytest.mark.django_db
def test_logout_page_asks_for_confirmation_in_the_site_layout(client, django_user_model):
    user = django_user_model.objects.create_user(email="delegate@example.org", password=PASSWORD)
    client.force_login(user)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    html = response.content.decode()
    assert_site_layout(html)
    assert_csp_safe(html)
    assert f'action="{reverse("account_logout")}"' in html
    assert re.search(r'<button class="btn btn-primary"\s+type="submit">\s*Sign Out\s*</button>', html)
    # Management pages show the account menu above the card.
    assert 'class="nav nav-pills' in html


@pytest.mark.django_db
def test_messages_are_shown_once(client, django_user_model):
    user = django_user_model.objects.create_user(email="delegate@example.org", password=PASSWORD)
    client.force_login(user)

    response = client.post(reverse("account_logout"), follow=True)

    html = response.content.decode()
    assert html.count("You have signed out.") == 1


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_shows_the_error_at_the_field(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.delegate@example.org", "password1": PASSWORD, "password2": PASSWORD + "-typo"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert_csp_safe(html)
    assert not django_user_model.objects.filter(email="new.delegate@example.org").exists()
    field = re.search(r'<input type="password"\s+class="form-control is-invalid"\s+id="id_password2"[^>]*>', html)
    assert field, "password2 is not marked invalid"
    assert 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="id_password2_error"' in field.group(0)
    error = re.search(r'<div class="invalid-feedback" id="id_password2_error">(.*?)</div>\s*</div>', html, re.S)
    assert error
    assert "You must type the same password each time." in error.group(1)
    # The typed e-mail address is kept; the passwords are never sent back.
    assert 'value="new.delegate@example.org"' in html
    assert PASSWORD not in html


@pytest.mark.django_db
def test_login_with_wrong_credentials_shows_a_non_field_error_alert(client, django_user_model):
    django_user_model.objects.create_user(email="delegate@example.org", password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "delegate@example.org", "password": "wrong-password"})

    assert response.status_code == 200
    html = response.content.decode()
    assert_csp_safe(html)
    alert = re.search(r'<div class="alert alert-danger" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert alert
    assert "The email address and/or password you specified are not correct." in alert.group(1)
    # A non-field error does not mark the fields themselves invalid.
    assert "is-invalid" not in html
