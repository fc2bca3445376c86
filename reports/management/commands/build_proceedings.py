import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.enums import BuildStatus
from reports.proceedings.services import proceedings_build_now
from workshop_portal.models import Workshop
from workshop_portal.warmup import worker_warm_up
from workshop_portal.workdirs import peak_memory_mb


class Command(BaseCommand):
    help = "Build a workshop's proceedings in this process and print where the PDF is, its pages and the time."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the workshop's short name, e.g. oic-central-asia-2012")
        parser.add_argument("--output", type=Path, help="also copy the PDF to this path")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, slug, output=None, language, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"No workshop with the short name {slug!r}.")
        worker_warm_up()  # as a worker process does at start: the time below is the build's own
        started = time.perf_counter()
        try:
            build = proceedings_build_now(workshop=workshop, by=None, language=language)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        seconds = time.perf_counter() - started
        if build.status != BuildStatus.READY:
            raise CommandError(f"Build {build.pk} failed: {build.error}")
        try:
            path = Path(build.file.path)
        except NotImplementedError:  # object storage: the name in the bucket
            path = build.file.name
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            with build.file.open("rb") as source, output.open("wb") as target:
                shutil.copyfileobj(source, target)
            path = output
        self.stdout.write(f"{path}")
        self.stdout.write(
            f"pages: {build.page_count}  seconds: {seconds:.2f}  build: {build.pk}  sha256: {build.sha256}"
        )
        self.stdout.write(f"print edition: {build.size} bytes  web edition: {build.web_size} bytes")
        self.stdout.write(f"peak memory of this process: {peak_memory_mb()} MB")
        for line in build.log.splitlines():
            if "not included" in line:
                self.stdout.write(self.style.WARNING(line))
