"""The organisers' admin of letters: texts checked on save, pictures checked and re-encoded into
private storage, the addressee kept on each delegation."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from delegations.enums import LetterKind
from delegations.letter_models import LetterSettings, LetterText
from delegations.letter_services import letter_image_rewrite, letters_lay_out_defaults
from delegations.letters import invitation_letter_context
from testkit.factories import WorkshopFactory, staff_user
from tests.delegations.support import state_delegation
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


def _png(size=(600, 120), mode="RGB", fmt="PNG", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 60, 120) if mode == "RGB" else (10, 60, 120, 0)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


@pytest.fixture
def organiser(client):
    user = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(user)
    return user


@pytest.fixture
def letter_settings():
    workshop = WorkshopFactory()
    letters_lay_out_defaults(workshop=workshop)
    return LetterSettings.objects.get(workshop=workshop)


def _post_data(letter_settings, **changes):
    texts = list(letter_settings.texts.order_by("kind", "language"))
    data = {
        "reference_prefix": letter_settings.reference_prefix,
        "signatory_name": "Ahmet Yilmaz",
        "signatory_title": "Head of Department",
        "texts-TOTAL_FORMS": len(texts),
        "texts-INITIAL_FORMS": len(texts),
        "texts-MIN_NUM_FORMS": 0,
        "texts-MAX_NUM_FORMS": 1000,
    }
    for index, text in enumerate(texts):
        data.update(
            {
                f"texts-{index}-id": text.pk,
                f"texts-{index}-settings": letter_settings.pk,
                f"texts-{index}-kind": text.kind,
                f"texts-{index}-language": text.language,
                f"texts-{index}-body": text.body,
            }
        )
    data.update(changes)
    return data, texts


def _change_url(letter_settings):
    return reverse("admin:delegations_lettersettings_change", args=[letter_settings.pk])


def test_the_organiser_edits_a_text_and_the_signatory(client, organiser, letter_settings):
    data, texts = _post_data(letter_settings)
    index = next(i for i, t in enumerate(texts) if (t.kind, t.language) == ("invitation", "en"))
    data[f"texts-{index}-body"] = "Dear {addressee}: we invite {state} on {dates}."
    response = client.post(_change_url(letter_settings), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert LetterText.objects.get(pk=texts[index].pk).body.startswith("Dear {addressee}")
    letter_settings.refresh_from_db()
    assert letter_settings.signatory_name == "Ahmet Yilmaz"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("We invite {state}. {{ settings.SECRET_KEY }}", "{ settings.SECRET_KEY }"),
        ("We invite {state}, {passport_number}.", "{passport_number}"),
        ("We invite {state} {0.__class__}.", "{0.__class__}"),
        ("We invite you.", "{state}"),
    ],
)
def test_a_text_with_an_unknown_or_missing_placeholder_is_refused_by_name(
    client, organiser, letter_settings, body, named
):
    data, texts = _post_data(letter_settings)
    index = next(i for i, t in enumerate(texts) if (t.kind, t.language) == ("invitation", "fr"))
    before = texts[index].body
    data[f"texts-{index}-body"] = body
    response = client.post(_change_url(letter_settings), data)
    assert response.status_code == 200
    page = response.content.decode()
    from django.utils.html import escape

    assert escape(named) in page
    assert LetterText.objects.get(pk=texts[index].pk).body == before


def test_a_letterhead_is_re_encoded_as_png_into_private_storage(client, organiser, letter_settings):
    jpeg = _png(fmt="JPEG", exif=Image.Exif())
    data, _texts = _post_data(letter_settings, letterhead=SimpleUploadedFile("head.jpg", jpeg + b"TRAILING-BYTES"))
    response = client.post(_change_url(letter_settings), data)
    assert response.status_code == 302
    letter_settings.refresh_from_db()
    stored = letter_settings.letterhead
    assert stored.name.startswith("letters/letterhead-")
    assert stored.name.endswith(".png")
    with stored.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"\x89PNG")
    assert b"TRAILING-BYTES" not in content
    with pytest.raises(ValueError, match="Private files"):
        stored.url  # noqa: B018
    # The change page names the stored file without a link to it.
    page = client.get(_change_url(letter_settings)).content.decode()
    assert stored.name in page
    # The lead's context hands it over as the stored file.
    delegation = state_delegation(letter_settings.workshop, "KZ", seats=3)
    assert invitation_letter_context(delegation, "en")["letterhead"].name == stored.name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a picture", "not a PNG or JPEG"),
        (b"GIF89a" + b"\x00" * 40, "not a PNG or JPEG"),
        (_png(fmt="GIF"), "not a PNG or JPEG"),
        (_png(size=(8000, 100)), "between 16 and 4000 pixels"),
        (_png(size=(10, 10)), "between 16 and 4000 pixels"),
        (_png()[:60], "not a PNG or JPEG"),
        (_png(fmt="JPEG", quality=95)[:400], "not a PNG or JPEG"),
    ],
)
def test_a_bad_picture_is_refused_and_nothing_is_stored(client, organiser, letter_settings, content, message):
    data, _texts = _post_data(letter_settings, signature=SimpleUploadedFile("sig.png", content))
    response = client.post(_change_url(letter_settings), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    letter_settings.refresh_from_db()
    assert not letter_settings.signature


def test_a_picture_over_two_megabytes_is_refused_before_it_is_decoded():
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * (2 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        letter_image_rewrite(big, purpose="signature")


def test_a_transparent_signature_keeps_its_transparency():
    rewritten = letter_image_rewrite(SimpleUploadedFile("s.png", _png(mode="RGBA")), purpose="signature")
    with Image.open(io.BytesIO(rewritten.read())) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0


def test_the_addressee_is_edited_on_the_delegation(client, organiser):
    workshop = WorkshopFactory()
    delegation = state_delegation(workshop, "KZ", seats=3)
    page = client.get(reverse("admin:delegations_delegation_change", args=[delegation.pk])).content.decode()
    assert 'name="addressee_ru"' in page


def test_the_letters_admin_is_the_organisers(client, letter_settings):
    from workshop_portal.roles import SECRETARIAT

    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    assert client.get(_change_url(letter_settings)).status_code == 403
    assert LetterKind.INVITATION in {t.kind for t in letter_settings.texts.all()}


def test_each_text_shows_a_preview_as_it_reads_in_a_letter(client, organiser, letter_settings):
    state_delegation(letter_settings.workshop, "KZ", seats=3)
    LetterText.objects.filter(settings=letter_settings, kind="visa", language="en").update(
        body="**{holder}** <script>alert(1)</script> {passport_number}"
    )
    page = client.get(_change_url(letter_settings)).content.decode()
    assert "has the honour to invite a delegation of Kazakhstan" in page
    assert "Ministère des Affaires étrangères (Kazakhstan)" in page
    assert "<strong>Name of the delegate</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "N0000000" in page


def test_the_change_page_costs_the_same_queries_for_more_delegations(
    client, organiser, letter_settings, django_assert_max_num_queries
):
    state_delegation(letter_settings.workshop, "KZ", seats=3)
    with django_assert_max_num_queries(60) as baseline:
        assert client.get(_change_url(letter_settings)).status_code == 200
    for code in ("UZ", "TJ", "TR", "EG", "MA"):
        state_delegation(letter_settings.workshop, code, seats=2)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(_change_url(letter_settings)).status_code == 200
