"""Settings read from the environment, with embedded defaults.

With no environment at all the portal runs self-contained: a SQLite file, Celery tasks run
inline, files on local disk, email printed to the console. DATABASE_URL, REDIS_URL, EMAIL_URL
and the media folders switch each piece to a real service. See the README's table.
"""

from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .addresses import portal_base_url
from .environment import BASE_DIR, VAR_DIR, env
from .storages import object_storages

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only the embedded mode has a built-in key; production.py demands DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-embedded-development-key-not-for-production")

# Links in emails and on badges point here (workshop_portal/emails.py: portal_url).
PORTAL_BASE_URL = portal_base_url(env.ENVIRON)
# The portal's name, in the From of its emails and atop them; the default is translated.
PORTAL_NAME = env("PORTAL_NAME", default="") or _("Workshop portal")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if "DJANGO_ALLOWED_HOSTS" not in env and urlsplit(PORTAL_BASE_URL).hostname:
    # `make run HOST=192.168.1.10`: the host the links name is one the portal answers to.
    ALLOWED_HOSTS.append(urlsplit(PORTAL_BASE_URL).hostname)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "csp",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the portal (the CSP allows no other origin)
    "workshop_portal",
    "jobs",
    "audit",  # the audit trail: low, so every app above records through audit.services.record
    "communications",  # the outbox every email goes through: any app above may send
    "registrations",
    "sessions.apps.WorkingSessionsConfig",
    "presentations",
    "reports",
    "delegations",  # quotas, focal points and nominations, above registrations
    "documents",  # certificates and letters, verifiable by their codes: above registrations, presentations, delegations
    "outcomes",  # surveys, recommendations followed up, series and cloning, needs and offers: above delegations
    "api",  # schedule feeds (Frab XML, c3voc JSON, ICS) and the read API: above outcomes
    "privacy",  # reads what the apps before it register in workshop_portal.personal_data
    "demo",  # the demo workshops and `seed_demo`: on top, it uses every app
]

MIDDLEWARE = [
    # X-Request-ID from the proxy (or a new one) on every log line of the request and on the response.
    "workshop_portal.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts, from which address, in the admin, on the site or through the API (audit/context.py).
    "audit.context.AuditContextMiddleware",
    # A signed-in person's own language (User.language) over the cookie and the browser's.
    "workshop_portal.languages.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "workshop_portal.urls"
WSGI_APPLICATION = "workshop_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if "DATABASE_URL" not in env:
    # The embedded SQLite file lives in var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction begins, so the web process and inline tasks queue
    # for it instead of failing with "database is locked"; this also serialises capacity checks.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "workshop_portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "registrations:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth): email and password, no usernames, a verified address before login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Account emails are the portal's own (workshop_portal/emails.py): its name, its language rules, a
# text and an HTML part, and links on PORTAL_BASE_URL rather than on the host a request came in by.
ACCOUNT_ADAPTER = "workshop_portal.account_adapter.AccountAdapter"
# Another account's address cannot be added to one's own (workshop_portal/account_forms.py).
ACCOUNT_FORMS = {"add_email": "workshop_portal.account_forms.AddEmailForm"}
# The account emails' links come from PORTAL_BASE_URL (the adapter); anything else allauth makes agrees.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(PORTAL_BASE_URL).scheme or "http"
# allauth's default limits (failed logins: 10 a minute per address, 5 per 5 minutes per account)
# stay on; they count in the cache, which is Redis once REDIS_URL is set.

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "workshop_portal.passwords.MinimumLengthValidator"},  # Django's, its message translated in Arabic
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation. The portal speaks English, French, Arabic (right to left) and Russian.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Names as the OIC uses them, where they differ from django-countries' defaults.
COUNTRIES_OVERRIDE = {
    "KG": _("Kyrgyz Republic"),
}

# Static files: WhiteNoise serves them from the app server, compressed and cache-busted.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))

# Public media (nothing uploaded by delegates) and private media (uploads, generated PDFs).
# Private files have no URL at all: every download goes through a view that checks who asks.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# The daily storage sweep (workshop_portal/storage_sweep.py) deletes files no row references once
# they are this old: a file stored a moment ago may belong to a row not committed yet.
STORAGE_SWEEP_MIN_AGE_HOURS = max(1, env.int("STORAGE_SWEEP_MIN_AGE_HOURS", default=24))
# Scratch space of the workers' heavy jobs (a proceedings volume is written here before it is
# stored): the system's temporary folder unless set; workshop_portal/workdirs.py.
JOB_WORK_DIR = env("JOB_WORK_DIR", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "workshop_portal.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


# Object storage: with a bucket named, public and private files live there (django-storages) and
# nothing is kept on local disk, so web processes and workers on any host share only the bucket.
OBJECT_STORAGE = bool(env("AWS_STORAGE_BUCKET_NAME", default=""))
if OBJECT_STORAGE:
    STORAGES.update(object_storages(env.ENVIRON))

# Presentations: a size limit checked while the upload streams in, and LibreOffice for PPTX/DOCX.
PRESENTATION_MAX_UPLOAD_BYTES = env.int("PRESENTATION_MAX_UPLOAD_MB", default=50) * 1024 * 1024
# Every upload goes to a temporary file on disk, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_HANDLERS = [
    "presentations.upload_handlers.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
LIBREOFFICE_BINARY = env("LIBREOFFICE_BINARY", default="")
CONVERSION_TIMEOUT_SECONDS = env.int("CONVERSION_TIMEOUT_SECONDS", default=120)
# A conversion queued this long ago and still not started is queued again (a duplicate is harmless).
CONVERSION_REQUEUE_AFTER_SECONDS = env.int("CONVERSION_REQUEUE_AFTER_SECONDS", default=900)
# LibreOffice in a network namespace with no route out (presentations/conversion_sandbox.py): "auto"
# isolates where the kernel allows it and warns once where it does not, "required" fails conversions
# that cannot be isolated, "off" never tries.
CONVERSION_NETWORK_ISOLATION = env("CONVERSION_NETWORK_ISOLATION", default="auto")
if CONVERSION_NETWORK_ISOLATION not in ("auto", "required", "off"):
    raise ImproperlyConfigured("CONVERSION_NETWORK_ISOLATION is auto, required or off.")
# How protected files leave: "django" streams them; "nginx" (X-Accel-Redirect) and "sendfile"
# (X-Sendfile, Apache) let the web server send them after the view has checked who asks;
# "redirect" (object storage only) answers with a link to the object, signed for
# PROTECTED_FILES_REDIRECT_SECONDS, made only after the same check.
PROTECTED_FILES_SERVER = env("PROTECTED_FILES_SERVER", default="django")
PROTECTED_FILES_NGINX_LOCATION = env("PROTECTED_FILES_NGINX_LOCATION", default="/protected/")
PROTECTED_FILES_REDIRECT_SECONDS = env.int("PROTECTED_FILES_REDIRECT_SECONDS", default=60)
if PROTECTED_FILES_SERVER not in ("django", "nginx", "sendfile", "redirect"):
    raise ImproperlyConfigured("PROTECTED_FILES_SERVER is django, nginx, sendfile or redirect.")
if OBJECT_STORAGE and PROTECTED_FILES_SERVER in ("nginx", "sendfile"):
    raise ImproperlyConfigured("With object storage, PROTECTED_FILES_SERVER is django (streamed) or redirect.")
if not OBJECT_STORAGE and PROTECTED_FILES_SERVER == "redirect":
    raise ImproperlyConfigured("PROTECTED_FILES_SERVER=redirect needs object storage (AWS_STORAGE_BUCKET_NAME).")

# Seconds a cached page or part of one (programme, calendar, list of workshops, list of participants,
# dashboard) is kept at most (workshop_portal/page_cache.py: a change it shows replaces it at once);
# 0 turns the cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
# Requests a client address may make to the public /verify/<code>/ page per minute (0: no limit).
DOCUMENT_VERIFY_RATE_LIMIT = env.int("DOCUMENT_VERIFY_RATE_LIMIT", default=30)

# Celery (broker, queues, workers, the scheduled jobs): settings/celery.py. Redis, when configured,
# is both the Celery broker and the cache.
from .celery import *  # noqa: E402, F403
from .celery import REDIS_URL  # noqa: E402

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Room for the cached pages of a few hundred people (the default keeps 300 entries).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
CELERY_TIMEZONE = TIME_ZONE

# Each worker process renders under this address-space ceiling (MB); 0 turns it off.
WORKER_MEMORY_LIMIT_MB = env.int("WORKER_MEMORY_LIMIT_MB", default=3072)
# A proceedings build with no sign of life for this long is restarted or failed by the watchdog.
PROCEEDINGS_STALE_SECONDS = env.int("PROCEEDINGS_STALE_SECONDS", default=900)
# Days after a workshop's last day before its delegates' contact, travel, dietary and badge data
# may be purged (admin action, `manage.py purge_personal_data`, or the daily beat job). The
# published proceedings and the list of participants stay.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=365)
# Days the audit trail keeps an event (longer than personal data: it answers "who decided this"
# years later); the names in it are pseudonymised by erasure and the purge above (audit/privacy.py).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=6 * 365)
# Backups (`manage.py backup`, workshop_portal/backups/): archives are encrypted with this key
# (32 bytes, URL-safe base64) when it is set. Keep it outside the backups.
BACKUP_ENCRYPTION_KEY = env("BACKUP_ENCRYPTION_KEY", default="")

# Outgoing email (EMAIL_URL, the sender's address): settings/email.py.
from .email import *  # noqa: E402, F403

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere (templates keep to that; a test reads them all), so the
# policy needs no 'unsafe-inline'. Bootstrap draws its icons from data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# LOG_FORMAT=json writes one JSON object per line (for a log collector); each line of a request
# carries its request id (workshop_portal/logs.py).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "workshop_portal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "workshop_portal.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# With LOG_FORMAT=json, Celery workers and beat log through the same console handler (and format)
# as the web process instead of installing their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT == "plain"

# Error reporting: Sentry (Django and Celery) when SENTRY_DSN is set, without personal data.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from workshop_portal.logs import init_error_reporting

    init_error_reporting(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# The demo organiser's password; `seed_demo` prints it. Only used by the demo seed.
DEMO_ORGANISER_EMAIL = env("DEMO_ORGANISER_EMAIL", default="organiser@demo.example.org")
DEMO_ORGANISER_PASSWORD = env("DEMO_ORGANISER_PASSWORD", default="ankara-2012-demo")

# The read API (/api/v1/, api/rest/): read only, by a signed-in session or an API token; one error
# shape; throttled through the cache (Redis when configured, so every web process counts together).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.rest.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.rest.authentication.ReadOnlyScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.rest.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.rest.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="600/hour"),
        "user": env("API_THROTTLE_USER", default="6000/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Workshop portal API",
    "DESCRIPTION": (
        "Read-only access to the programme of published workshops, member states and institutions; "
        "registrations and proceedings builds for staff. Send an API token (account page) as "
        '`Authorization: Bearer <token>`. Errors: `{"error": {"code", "message", "details"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}
