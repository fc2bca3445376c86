"""Issuing one holder's document from several places at once, against the real database (on
PostgreSQL: the current document's row lock and the unique constraint; on SQLite: its write lock)."""

import pytest
from django.core.exceptions import ValidationError

from documents.models import IssuedDocument
from documents.services import document_issue_for_holder
from testkit.factories import WorkshopFactory, staff_user
from tests.delegations.support import in_threads
from tests.documents.support import ATTENDANCE, checked_in
from workshop_portal.roles import ORGANISERS
from workshop_portal.storage import private_storage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_parallel_issues_for_one_holder_leave_one_current_document_and_no_stray_file():
    workshop = WorkshopFactory(slug="race")
    organiser = staff_user("organiser@example.org", ORGANISERS)
    holder = checked_in(workshop, "holder@example.org", name="Holder", by=organiser)
    key = f"registration:{holder.pk}"
    storage = private_storage()
    before = set(storage.listdir("documents")[1]) if storage.exists("documents") else set()

    results = in_threads(
        6, lambda i: document_issue_for_holder(workshop=workshop, kind=ATTENDANCE, holder_key=key, by=organiser)
    )

    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ValidationError) and r.code == "issued_meanwhile" for r in failures), failures
    issued = [r for r in results if isinstance(r, IssuedDocument)]
    assert len(issued) == 6 - len(failures)
    assert issued
    assert IssuedDocument.objects.current().filter(holder_key=key).count() == 1
    assert IssuedDocument.objects.filter(holder_key=key).count() == len(issued)
    # Every file stored is a recorded document's: a refused issue deleted the PDF it had rendered.
    new_files = set(storage.listdir("documents")[1]) - before
    names = {name.removeprefix("documents/") for name in IssuedDocument.objects.values_list("file", flat=True)}
    assert new_files == names


def test_parallel_tasks_of_one_visa_request_issue_its_letter_once():
    """Two quick changes send two tasks: the request's row lock lets the first make the letter and
    the second find it issued (on SQLite the write lock serialises them the same way)."""
    import datetime

    from delegations.enums import VisaRequestStatus
    from delegations.models import VisaLetterRequest
    from documents.enums import DocumentKind
    from documents.letters import visa_letter_issue
    from testkit.factories import approved_delegate, verified_user

    workshop = WorkshopFactory(slug="visa-race")
    delegate = approved_delegate(workshop, "KZ", user=verified_user("visa@example.org"))
    # Written as the request's save writes it, without its task: a worker of the PostgreSQL pass
    # would otherwise take that task and issue the letter before these two.
    visa = VisaLetterRequest.objects.create(
        registration=delegate,
        passport_name="RACE HOLDER",
        nationality="KZ",
        passport_number="N1234567",
        passport_expiry=workshop.end_date + datetime.timedelta(days=900),
        stay_from=workshop.start_date,
        stay_to=workshop.end_date,
        status=VisaRequestStatus.REQUESTED,
    )

    results = in_threads(4, lambda i: visa_letter_issue(visa_request_id=visa.pk))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert len([r for r in results if isinstance(r, IssuedDocument)]) == 1
    assert IssuedDocument.objects.current().filter(kind=DocumentKind.VISA_LETTER).count() == 1
    visa.refresh_from_db()
    assert visa.status == VisaRequestStatus.ISSUED
