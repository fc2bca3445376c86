"""Benchmark: a batch of documents of one kind through the job lifecycle, inline in this process.

Creates a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set), a workshop
with N holders (a quarter each reading English, French, Arabic and Russian), runs one batch (render,
store, ZIP) and a second one (nothing changed: everything kept), and prints one JSON line: seconds,
documents per second and per minute, ms per document, PDF size per language, ZIP size.

- `--kind attendance` (the default): N checked-in participants, a certificate each;
- `--kind visa`: N approved delegates who asked for a visa support letter, with the demo's
  letterhead, signature and signatory (documents/letters.py);
- `--kind invitation`: an invitation letter to every delegation of the OIC's member states (as many
  as there are, whatever N; their language by state), with the same letterhead and signature.

    .venv/bin/python bench/documents.py [--participants 200] [--kind attendance|visa|invitation]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._environment import bench_environment, bench_workdir

LANGUAGES = ("en", "fr", "ar", "ru")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--kind", choices=("attendance", "visa", "invitation"), default="attendance")
    args = parser.parse_args()
    workdir = bench_workdir("portal-bench-documents-")
    bench_environment(workdir, f"sqlite:///{workdir}/bench.sqlite3")

    import django

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from delegations.letter_models import VisaLetterRequest
    from delegations.models import Delegation
    from demo.letters import demo_letters_seed
    from documents.batches import document_batch_request, document_batch_run
    from documents.enums import DocumentKind
    from documents.models import IssuedDocument
    from registrations.enums import ParticipantCategory
    from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory
    from workshop_portal.models import MemberState, User

    call_command("migrate", verbosity=0)
    workshop = WorkshopFactory(slug="bench-documents", title="Workshop on Technical Cooperation", city="Ankara")
    organiser = User.objects.create_user(email="organiser@bench.example.org")
    if args.kind in ("visa", "invitation"):
        demo_letters_seed(workshop)  # texts, letterhead, signature and signatory, as the demo has them
    if args.kind == "invitation":
        for state in MemberState.objects.all():
            Delegation.objects.create(
                workshop=workshop, category=ParticipantCategory.OIC_PARTNER_STATE, member_state=state, seats=3
            )
    else:
        for index in range(args.participants):
            registration = RegistrationFactory(
                workshop=workshop,
                user=UserFactory(email=f"p{index}@bench.example.org", language=LANGUAGES[index % 4]),
                participant_name=f"Participant {index:04}",
                status="approved",
                checked_in_at=timezone.now(),
            )
            if args.kind == "visa":
                VisaLetterRequest.objects.create(
                    registration=registration,
                    passport_name=f"PARTICIPANT {index:04}",
                    nationality="KZ",
                    passport_number=f"N{index:08}",
                    passport_expiry=workshop.end_date + datetime.timedelta(days=900),
                    stay_from=workshop.start_date - datetime.timedelta(days=1),
                    stay_to=workshop.end_date + datetime.timedelta(days=1),
                )
    kind = {
        "attendance": DocumentKind.CERTIFICATE_ATTENDANCE,
        "visa": DocumentKind.VISA_LETTER,
        "invitation": DocumentKind.INVITATION_LETTER,
    }[args.kind]
    started = time.perf_counter()
    batch = document_batch_run(
        batch=document_batch_request(workshop=workshop, kind=kind, by=organiser), task_id="bench-1"
    )
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = document_batch_run(
        batch=document_batch_request(workshop=workshop, kind=kind, by=organiser), task_id="bench-2"
    )
    second = time.perf_counter() - started
    sizes = {
        language: round(
            statistics.median(IssuedDocument.objects.filter(language=language).values_list("size", flat=True))
        )
        for language in LANGUAGES
        if IssuedDocument.objects.filter(language=language).exists()
    }
    print(
        json.dumps(
            {
                "kind": args.kind,
                "participants": args.participants,
                "status": batch.status,
                "issued": batch.issued_count,
                "seconds": round(first, 1),
                "certificates_per_second": round(batch.issued_count / first, 1),
                "ms_per_certificate": round(1000 * first / batch.issued_count),
                "documents_per_minute": round(60 * batch.issued_count / first),
                "pdf_median_bytes": sizes,
                "zip_bytes": batch.size,
                "second_batch": {"issued": again.issued_count, "kept": again.kept_count, "seconds": round(second, 1)},
            }
        )
    )


if __name__ == "__main__":
    main()
