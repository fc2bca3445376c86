"""A small workshop with everything a proceedings volume shows, for the proceedings tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
from reports.models import SessionReport
from reports.services import report_save
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
    special_session,
    staff_user,
)
from testkit.files import pdf_bytes, pptx_bytes
from workshop_portal.roles import ORGANISERS


def build_material(*, pptx_converted: bool = False):
    """Two country sessions and the special session, reports, five accepted presentations (one whose
    PPTX never converted), and delegates whose names are in Cyrillic and Arabic script."""
    organiser = staff_user("organiser@example.org", ORGANISERS)
    workshop = WorkshopFactory(title="Workshop on Cooperation with Central Asia", slug="proceedings-test")
    kz = country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    kg = country_session(workshop, "KG", start=(11, 0), end=(12, 30))
    special = special_session(workshop)

    def accept(presenter, session, kind, title, content=None, name="deck.pdf"):
        presentation = presentation_create(
            presentation=Presentation(
                presenter=presenter,
                segment=segment_of(session, kind),
                title=title,
                abstract=f"What {presenter.participant_name} will show.",
            ),
            by=organiser,
        )
        presentation_accept_upload(
            presentation=presentation,
            uploaded_file=SimpleUploadedFile(name, content or pdf_bytes(pages=3, title=title)),
            by=organiser,
        )
        presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)
        return presentation

    host = approved_delegate(workshop, "KZ", participant_name="Нурлан Сагинтаев")
    partner = approved_delegate(workshop, "SA", participant_name="عبد الله الحربي")
    bank = institution_delegate(workshop, "IsDB")
    kyrgyz = approved_delegate(workshop, "KG", participant_name="Bakyt Osmonov")
    turk = approved_delegate(workshop, "TR", participant_name="Mehmet Yilmaz")
    presentations = {
        "host": accept(host, kz, SegmentKind.HOST_STATE, "Kazakhstan as a partner"),
        "partner": accept(partner, kz, SegmentKind.PARTNER_BEST_PRACTICES, "Irrigation co-financing"),
        "bank": accept(bank, kz, SegmentKind.INTERNATIONAL_INSTITUTIONS, "Reverse Linkage"),
        "kyrgyz": accept(kyrgyz, kg, SegmentKind.HOST_STATE, "Kyrgyz programmes"),
        "broken": accept(
            turk, kg, SegmentKind.PARTNER_BEST_PRACTICES, "Vocational training", pptx_bytes(), "slides.pptx"
        ),
    }
    for session, text in (
        (kz, "Coordination between donors"),
        (kg, "Follow-up after projects"),
        (special, "Three partnership models"),
    ):
        report = SessionReport.objects.create(session=session)
        report.summary = f"# Findings\n\n{text}."
        report.challenges = "- Fragmented funding\n- *Language barriers*"
        report.recommendations = "1. Meet every year"
        report_save(report=report, by=organiser)
    return {
        "workshop": workshop,
        "organiser": organiser,
        "sessions": {"kz": kz, "kg": kg, "special": special},
        "presentations": presentations,
    }
