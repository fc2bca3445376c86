"""The demo's letters: each demo workshop's letter settings and texts, a letterhead and a signature
drawn with Pillow at seed time (no picture is kept in the repository), and two delegates of the
Ankara workshop who asked for a visa support letter."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from delegations.letter_models import LetterSettings, VisaLetterRequest
from delegations.letter_services import letter_image_rewrite, letters_lay_out_defaults
from delegations.visa import visa_request_save
from registrations.enums import RegistrationStatus
from workshop_portal.models import Workshop

SIGNATORY = {
    "signatory_name": "Selim Arslan",
    "signatory_name_fr": "Selim Arslan",
    "signatory_name_ar": "سليم أرسلان",
    "signatory_name_ru": "Селим Арслан",
}

# (passport number, years its passport is still valid): the first two approved delegates of the Ankara workshop.
DEMO_VISA_REQUESTS = (("N0482913", 4), ("AB7730215", 7))


def _png(draw_on, size) -> SimpleUploadedFile:
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw_on(ImageDraw.Draw(image), size)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), content_type="image/png")


def _letterhead(draw: ImageDraw.ImageDraw, size) -> None:
    width, height = size
    draw.rectangle((0, 0, width, height), fill=(255, 255, 255, 255))
    draw.rectangle((0, height - 14, width, height - 8), fill=(0, 102, 84, 255))
    draw.ellipse((24, 20, 104, 100), outline=(0, 102, 84, 255), width=6)
    draw.text((130, 34), "WORKSHOP SECRETARIAT", fill=(0, 60, 50, 255))
    draw.text((130, 64), "Technical cooperation with Central Asia", fill=(80, 80, 80, 255))


def _signature(draw: ImageDraw.ImageDraw, size) -> None:
    width, height = size
    points = [(10 + x * 12, height // 2 + (18 if x % 2 else -18)) for x in range((width - 20) // 12)]
    draw.line(points, fill=(20, 30, 110, 255), width=3)


def demo_letters_seed(workshop: Workshop) -> None:
    """Letter texts and settings (once), with the drawn pictures and the signatory."""
    letters_lay_out_defaults(workshop=workshop)
    letter_settings = LetterSettings.objects.get(workshop=workshop)
    if letter_settings.letterhead:
        return
    letter_settings.letterhead = letter_image_rewrite(_png(_letterhead, (1200, 130)), purpose="letterhead")
    letter_settings.signature = letter_image_rewrite(_png(_signature, (320, 90)), purpose="signature")
    for field, value in SIGNATORY.items():
        setattr(letter_settings, field, value)
    letter_settings.save()


def demo_visa_requests_seed(workshop: Workshop) -> None:
    """Two approved delegates asked for a visa support letter (once)."""
    approved = list(
        workshop.registrations.filter(status=RegistrationStatus.APPROVED)
        .select_related("user", "member_state", "workshop")
        .order_by("user__email")[: len(DEMO_VISA_REQUESTS)]
    )
    today = timezone.localdate()
    for registration, (number, years) in zip(approved, DEMO_VISA_REQUESTS, strict=False):
        if VisaLetterRequest.objects.filter(registration=registration).exists():
            continue
        visa_request_save(
            registration=registration,
            by=registration.user,
            passport_name=f"{registration.user.last_name} {registration.user.first_name}".upper(),
            nationality=registration.member_state.code.code if registration.member_state_id else "TR",
            passport_number=number,
            # Valid for years yet, whenever the demo is seeded.
            passport_expiry=today.replace(year=today.year + years, day=1),
            stay_from=workshop.start_date - datetime.timedelta(days=1),
            stay_to=workshop.end_date + datetime.timedelta(days=1),
        )
