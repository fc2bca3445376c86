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
