"""Every email goes through the outbox: no module of the portal sends one by itself."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SENDING = re.compile(
    r"\.send\((?:fail_silently=\w+)?\)|(?<![.\w])send_mail\(|send_mass_mail\(|mail_admins\(|mail_managers\("
    r"|\.send_messages\(|get_connection\(|portal_email\("
)
# Where sending itself lives: the outbox, the one builder of emails, and allauth's adapter (which
# builds its emails with portal_email and hands them to workshop_portal.emails.send_now).
ALLOWED = {"communications/delivery.py", "communications/services.py", "workshop_portal/emails.py"}
ALLOWED_LINES = {
    ("workshop_portal/account_adapter.py", "return portal_email("),
    ("workshop_portal/account_adapter.py", "def send_mail("),  # allauth's hook, overridden to send_now
}
NOT_PORTAL = ("tests/", "bench/", "testkit/", ".venv/", "node_modules/")


def test_no_module_sends_an_email_but_the_outbox():
    found = []
    for path in BASE_DIR.rglob("*.py"):
        name = path.relative_to(BASE_DIR).as_posix()
        if name.startswith(NOT_PORTAL) or name in ALLOWED or "/migrations/" in name:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SENDING.search(line) and not any(name == allowed and text in line for allowed, text in ALLOWED_LINES):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "send through communications.services.email_queue instead:\n" + "\n".join(found)
