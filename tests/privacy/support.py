"""What the privacy tests share: workshops moved into the past, presentations with a deck, the
text of a table, a person's sessions."""

import datetime
import io
import zipfile

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
from sessions.enums import SegmentKind
from testkit.factories import segment_of
from testkit.files import pdf_bytes, upload
from workshop_portal.models import Workshop

TODAY = timezone.localdate


def move_to_the_past(workshop: Workshop, *, ended_days_ago: int) -> None:
    """Shift a workshop (created upcoming, so its services accepted everything) into the past."""
    end = TODAY() - datetime.timedelta(days=ended_days_ago)
    Workshop.objects.filter(pk=workshop.pk).update(start_date=end - datetime.timedelta(days=1), end_date=end)
    workshop.refresh_from_db()


def zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def presentation_with_deck(presenter, session, title, *, by, content=None, accepted_by=None):
    presentation = presentation_create(
        presentation=Presentation(
            presenter=presenter, segment=segment_of(session, SegmentKind.HOST_STATE), title=title, abstract=title
        ),
        by=by,
    )
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", content or pdf_bytes(title=title)), by=by
    )
    if accepted_by is not None:
        presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=accepted_by)
    return presentation, version


def text_values(model) -> list[str]:
    """Every value of every text column of a table."""
    columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
    return [str(value) for row in model.objects.values_list(*columns) for value in row if value]


def sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]
