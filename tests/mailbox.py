"""A mailbox the test process and a worker process can both write to: one JSON file per email."""

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(settings.TEST_MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            record = {
                "subject": str(message.subject),
                "body": str(message.body),
                "to": list(message.to),
                "from": message.from_email,
                "sent": time.time(),
            }
            name = f"{time.time_ns()}-{uuid.uuid4().hex}.json"
            (folder / f".{name}").write_text(json.dumps(record))
            (folder / f".{name}").rename(folder / name)  # appear whole, never half-written
        return len(email_messages)


@dataclass
class Email:
    subject: str
    body: str
    to: list
    sent: float


class Mailbox:
    def __init__(self, folder: Path):
        self.folder = folder

    def clear(self) -> None:
        if self.folder.exists():
            for path in self.folder.glob("[!.]*.json"):
                path.unlink()

    def messages(self, to: str | None = None) -> list[Email]:
        if not self.folder.exists():
            return []
        found = []
        # Not ".<name>.json": an email still being written by another process.
        for path in sorted(self.folder.glob("[!.]*.json")):
            data = json.loads(path.read_text())
            email = Email(subject=data["subject"], body=data["body"], to=data["to"], sent=data["sent"])
            if to is None or to in email.to:
                found.append(email)
        return found

    def wait_for(self, count: int, *, to: str | None = None, timeout: float = 30) -> list[Email]:
        """Emails leave after commit, possibly from a worker: wait until `count` have arrived."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(to)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)
