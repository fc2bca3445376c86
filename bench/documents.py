"""Benchmark: a batch of certificates of attendance through the job lifecycle, inline in this process.

Creates a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set), a workshop
with N checked-in participants (a quarter each reading English, French, Arabic and Russian), runs
one batch (render, store, ZIP) and a second one (nothing changed: everything kept), and prints one
JSON line: seconds, certificates per second, ms per certificate, PDF size per language, ZIP size.

    .venv/bin/python bench/documents.py [--participants 200]
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
    args = parser.parse_args()
    workdir = bench_workdir("portal-bench-documents-")
    bench_environment(workdir, f"sqlite:///{workdir}/bench.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from documents.batches import document_batch_request, document_batch_run
    from documents.enums import DocumentKind
    from documents.models import IssuedDocument
    from testkit.factories import RegistrationFactory, UserFactory, WorkshopFactory
    from workshop_portal.models import User

    call_command("migrate", verbosity=0)
    workshop = WorkshopFactory(slug="bench-documents", title="Workshop on Technical Cooperation", city="Ankara")
    organiser = User.objects.create_user(email="organiser@bench.example.org")
    for index in range(args.participants):
        RegistrationFactory(
            workshop=workshop,
            user=UserFactory(email=f"p{index}@bench.example.org", language=LANGUAGES[index % 4]),
            participant_name=f"Participant {index:04}",
            status="approved",
            checked_in_at=timezone.now(),
        )
    kind = DocumentKind.CERTIFICATE_ATTENDANCE
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
    }
    print(
        json.dumps(
            {
                "participants": args.participants,
                "status": batch.status,
                "issued": batch.issued_count,
                "seconds": round(first, 1),
                "certificates_per_second": round(batch.issued_count / first, 1),
                "ms_per_certificate": round(1000 * first / batch.issued_count),
                "pdf_median_bytes": sizes,
                "zip_bytes": batch.size,
                "second_batch": {"issued": again.issued_count, "kept": again.kept_count, "seconds": round(second, 1)},
            }
        )
    )


if __name__ == "__main__":
    main()
