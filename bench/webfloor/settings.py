"""The portal's settings (workshop_portal.settings.base), with the floor URL added."""

from workshop_portal.settings.base import *  # noqa: F403

ROOT_URLCONF = "webfloor.urls"

# The benchmark's builders create hundreds of accounts; no page measured checks a password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
