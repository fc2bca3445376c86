"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives, raw.

The portal sends through Django's own SMTP backend, so a test reads the MIME message exactly as a
mail server would get it: its parts, headers and encodings.
"""

import re
from email.message import EmailMessage

from django.utils import translation
from django.utils.html import escape

from testkit.smtp import LoopbackSmtp

# The portal's address in these tests: unlike the test client's host, so a link built from the
# request's host cannot pass for one built from PORTAL_BASE_URL.
BASE_URL = "https://workshops.example.org"
URL = re.compile(r"https?://[^\s<>\"']+")
# The marks that isolate names in right-to-left text: not what these checks are about.
ISOLATES = re.compile("[\u2066-\u2069]")


class SmtpServer(LoopbackSmtp):
    """Start with `start()`, read `messages()` (parsed), stop with `stop()`."""

    def raw(self, to: str | None = None) -> list[bytes]:
        return [received.data for received in self.received(to)]

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        """The messages received (for `to` only, if given), parsed as RFC 5322 messages."""
        return [received.message() for received in self.received(to)]

    def wait_for(self, count: int, *, to: str | None = None, timeout: float = 10) -> list[EmailMessage]:
        super().wait_for(count, timeout, to=to)
        return self.messages(to)


# --- Reading what arrived ---------------------------------------------------------------------


def tr(language: str, msgid: str, **values) -> str:
    """`msgid` as the catalogue of `language` has it (placeholders filled in)."""
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML parts of a multipart/alternative message, decoded."""
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    text, html = (ISOLATES.sub("", part.get_content()) for part in message.iter_parts())
    return text, html


def subject(message: EmailMessage) -> str:
    # A long encoded subject is folded onto the next line; unfolding leaves the fold's space.
    return ISOLATES.sub("", str(message["Subject"])).strip()


def check_portal_email(message: EmailMessage, *, name: str = "Workshop portal") -> tuple[str, str]:
    """What every email of the portal has (its name, both parts, links on BASE_URL and nowhere
    else); returns its text and HTML."""
    text, html = parts(message)
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (name, "secretariat@localhost")
    assert name in text
    assert escape(name) in html
    for body in (text, html):
        assert "Hello from" not in body
        assert "testserver" not in body
        assert "127.0.0.1" not in body
        assert "localhost:" not in body
    links = URL.findall(text)
    assert links, "no link in the email"
    assert all(link.startswith(BASE_URL + "/") for link in links), links
    # Every link of the text is a link of the HTML part too, to the same address.
    hrefs = set(re.findall(r'href="([^"]+)"', html))
    assert set(links) <= hrefs, (links, hrefs)
    assert all(href.startswith((BASE_URL + "/", "mailto:")) for href in hrefs), hrefs
    return text, html
