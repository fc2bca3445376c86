"""The portal's settings (workshop_portal.settings.base), with the floor URL added, and what
production.py changes that a page's cost depends on."""

from workshop_portal.settings.base import *  # noqa: F403
from workshop_portal.settings.base import DATABASES, STORAGES

ROOT_URLCONF = "webfloor.urls"

# The benchmark's builders create hundreds of accounts; no page measured checks a password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# As production.py has them: every {% static %} names its file from the manifest collectstatic
# writes (bench/web.py runs it), and a connection kept between requests is checked before a
# request reuses it (a round trip of its own on each request that reads the database).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
