"""Outgoing email: the server (EMAIL_URL) and the sender's address. Included by base.py."""

from .environment import env

# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587; the console by default.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# Without a name of its own here, emails come from PORTAL_NAME (workshop_portal/emails.py).
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="secretariat@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Where answers to the portal's emails go when the workshop names no contact address of its own
# (Workshop.contact_email): the organisers' mailbox. Empty: replies go to the sender.
PORTAL_REPLY_TO = env("PORTAL_REPLY_TO", default="")
# Seconds an SMTP connection may wait on the server (connect, each command) before the attempt
# counts as a temporary failure; without one, a silent server would hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# The outbox (communications/): emails per worker task (one SMTP connection each), the attempts of
# a temporary failure and the waits between them (minutes), how long a claimed email may go
# without a sign of life before the watchdog takes it back, and how long sent emails are kept.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=5)
OUTBOX_RETRY_MINUTES = [1, 5, 15, 60]
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=300)
OUTBOX_REDISPATCH_SECONDS = env.int("OUTBOX_REDISPATCH_SECONDS", default=900)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=365)
