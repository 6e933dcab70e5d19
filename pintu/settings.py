"""Pintu's one settings module, driven by the environment (see the README's table).

Local runs need nothing set: SQLite in ``var/``, a secret key generated once into
``var/``, Bahasa Indonesia, Asia/Jakarta. ``PINTU_ENV=production`` turns on the strict
profile: the secret key and allowed hosts must come from the environment, cookies are
secure and HTTPS is enforced, so that ``check --deploy`` is clean.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pintu.core.caches import caches_from_environment
from pintu.core.env import Env, local_secret_key
from pintu.core.files import storage_from_environment

env = Env()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.text("PINTU_VAR_DIR", str(BASE_DIR / "var"))).resolve()

PINTU_ENV = env.choice("PINTU_ENV", "development", ("development", "production"))
PRODUCTION = PINTU_ENV == "production"
DEBUG = env.flag("PINTU_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("PINTU_DEBUG must be off when PINTU_ENV=production")

if PRODUCTION:
    SECRET_KEY = env.required(
        "PINTU_SECRET_KEY", "production reads the secret key from the environment only"
    )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("PINTU_SECRET_KEY must be at least 50 characters long")
else:
    SECRET_KEY = env.optional("PINTU_SECRET_KEY") or local_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env.items(
    "PINTU_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("PINTU_ALLOWED_HOSTS must list the host names Pintu answers to")
CSRF_TRUSTED_ORIGINS = env.items("PINTU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # The second factor of sign-in (pintu.org.twofactor): authenticator apps, recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Serves the API docs' Swagger UI from its own static files instead of a CDN.
    "ninja",
    "pintu.core",
    "pintu.org",
    "pintu.sop",
    "pintu.sla",
    "pintu.desk",
    "pintu.outbox",
    "pintu.doors",
    "pintu.vault",
    "pintu.elearning",
    "pintu.media",
    "pintu.partners",
    "pintu.identity",
    "pintu.kpi",
    "pintu.reports",
    "pintu.records",
    "pintu.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "pintu.core.edge.RefuseAtTheEdgeMiddleware",
    "pintu.core.edge.SecurityHeadersMiddleware",
    "pintu.core.ratelimit.RateLimitMiddleware",
    "pintu.core.files.FileStoreErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pintu.core.sessions.IdleTimeoutMiddleware",
    "pintu.site.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pintu.site.urls"
WSGI_APPLICATION = "pintu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pintu.site.context_processors.pintu",
            ],
        },
    },
    {
        # Only the queue's rows (desk/staff/queue_rows.html): a hundred rows polled every
        # ten seconds, four times faster than in Django's engine (bench/README.md).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "pintu.core.jinja.environment"},
    },
]

# Database: SQLite by default; DATABASE_URL (postgres://...) for PostgreSQL.
SQLITE_TIMEOUT = env.number("PINTU_SQLITE_TIMEOUT", 20, minimum=1)
_database_url = env.optional("DATABASE_URL")
if _database_url:
    try:
        # Health checks: a connection kept across a database restart is found dead and
        # replaced before a request or a worker's next step uses it, not after it fails.
        DATABASES = {
            "default": dj_database_url.parse(
                _database_url, conn_max_age=60, conn_health_checks=True
            )
        }
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "pintu.sqlite3"),
            # Tests use a file too: an in-memory database locks whole tables and ignores
            # the busy timeout, so it cannot show how two writers really behave. One
            # file per test run, so that runs side by side do not share it.
            "TEST": {"NAME": str(VAR_DIR / f"test_pintu_{os.getpid()}.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions take
    # the write lock up front so two writers queue on the busy timeout instead of failing
    # with "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_TIMEOUT,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# What every process on every host must agree on (rate limits, the calendars' token):
# the database's pintu_cache table, made by `pintu migrate`, or Redis with
# PINTU_REDIS_URL (pintu.core.caches).
CACHES = caches_from_environment(env.environ)

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at 19 MiB (pintu.core.passwords); Django's own hasher reads the same hashes.
    "pintu.core.passwords.PintuArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed sign-ins (django-axes), per user name and address.
AXES_FAILURE_LIMIT = env.number("PINTU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.number("PINTU_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "site/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Language and time: Bahasa Indonesia by default, English selectable.
LANGUAGE_CODE = env.choice("PINTU_LANGUAGE", "id", ("id", "en"))
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "pintu" / "locale"]
USE_I18N = True
TIME_ZONE = env.timezone("PINTU_TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.text("PINTU_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.text("PINTU_MEDIA_ROOT", str(VAR_DIR / "media")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' static folders when not collected (local runs, tests).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Files: the local MEDIA_ROOT folder, or with PINTU_STORAGE_URL=s3://bucket/prefix (and
# PINTU_S3_ENDPOINT_URL, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY) an S3-compatible
# object store that several hosts share (pintu.core.files).
STORAGES = {
    "default": storage_from_environment(env.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Attachments: a size limit and an allow-list of file types (by extension).
PINTU_ATTACHMENT_MAX_BYTES = env.number("PINTU_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
# The longest message a person may type; a longer mail is shortened on its article (its
# whole text stays in the original message the door keeps).
PINTU_MESSAGE_MAX_CHARS = env.number("PINTU_MESSAGE_MAX_CHARS", 20000, minimum=500)
# Documents, images, archives, the voice notes and videos WhatsApp users send, and what
# mail carries along (forwarded messages, invitations, signatures).
DEFAULT_ATTACHMENT_TYPES = (
    "pdf png jpg jpeg gif webp txt csv doc docx xls xlsx ppt pptx odt ods odp zip "
    "ogg opus mp3 m4a mp4 eml ics asc p7s sig"
)
PINTU_ATTACHMENT_EXTENSIONS = env.items("PINTU_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES.split())
DATA_UPLOAD_MAX_MEMORY_SIZE = PINTU_ATTACHMENT_MAX_BYTES + 1024 * 1024
# When the assignee is warned: after this share of a deadline's span (default 2/3),
# optionally per target, e.g. PINTU_SLA_WARN_BY_TARGET="15m:50,1mo:80" (percent).
PINTU_SLA_WARN_FRACTION = env.number("PINTU_SLA_WARN_PERCENT", 0, minimum=0) / 100 or 2 / 3
PINTU_SLA_WARN_BY_TARGET = env.percent_map("PINTU_SLA_WARN_BY_TARGET")
# The quality unit, which reads every unit's KPIs and judges their evidence.
PINTU_QUALITY_UNIT = env.text("PINTU_QUALITY_UNIT", "P4M")
# A year's reports are due on this day (MM-DD) of the next year; each unit's heads and
# sub-coordinators are reminded so many days before.
PINTU_REPORT_DUE = env.month_day("PINTU_REPORT_DUE", "01-31")  # (month, day)
PINTU_REPORT_REMINDER_DAYS = env.days("PINTU_REPORT_REMINDER_DAYS", (30, 7))
# Records per KPI listed in the appendix of a PDF or DOCX report (the XLSX annex has all).
PINTU_REPORT_APPENDIX_ROWS = env.number("PINTU_REPORT_APPENDIX_ROWS", 200, minimum=0)
if PINTU_SLA_WARN_FRACTION > 1:
    raise ImproperlyConfigured("PINTU_SLA_WARN_PERCENT must be at most 100")

# The doors. E-mail out: one SMTP relay for every unit (each sends From its own address).
PINTU_SMTP_URL = env.text("PINTU_SMTP_URL", "smtp://127.0.0.1:25")
PINTU_EMAIL_DOMAIN = env.text("PINTU_EMAIL_DOMAIN", "pintu.localhost")  # our Message-IDs
# Local runs only: where `pintu run`'s mail catcher keeps what the outbox sends
# (pintu.doors.email.catcher), read by admins at /dev/mail/.
PINTU_CAUGHT_MAIL_DIR = VAR_DIR / "mail"
PINTU_IMAP_POLL_SECONDS = env.number("PINTU_IMAP_POLL_SECONDS", 60, minimum=5)
# Character sets to try for mail that declares none, before Windows-1252 (e.g. koi8-r).
PINTU_EMAIL_FALLBACK_CHARSETS = env.items("PINTU_EMAIL_FALLBACK_CHARSETS", [])
# Empty: processed mail is flagged \Seen. A folder name: processed mail moves there.
PINTU_IMAP_PROCESSED_FOLDER = env.text("PINTU_IMAP_PROCESSED_FOLDER", "")
PINTU_OUTBOX_MAX_ATTEMPTS = env.number("PINTU_OUTBOX_MAX_ATTEMPTS", 6, minimum=1)
PINTU_OUTBOX_BACKOFF_SECONDS = env.number("PINTU_OUTBOX_BACKOFF_SECONDS", 60, minimum=1)
# WhatsApp Cloud API (Meta). Without an app secret the webhook refuses every POST.
PINTU_WHATSAPP_APP_SECRET = env.text("PINTU_WHATSAPP_APP_SECRET", "")
PINTU_WHATSAPP_VERIFY_TOKEN = env.text("PINTU_WHATSAPP_VERIFY_TOKEN", "")
PINTU_WHATSAPP_TOKEN = env.text("PINTU_WHATSAPP_TOKEN", "")
PINTU_WHATSAPP_PHONE_NUMBER_ID = env.text("PINTU_WHATSAPP_PHONE_NUMBER_ID", "")
PINTU_WHATSAPP_GRAPH_URL = env.text("PINTU_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
PINTU_WHATSAPP_TEMPLATE = env.text("PINTU_WHATSAPP_TEMPLATE", "pintu_balasan")
PINTU_WHATSAPP_TEMPLATE_LANGUAGE = env.text("PINTU_WHATSAPP_TEMPLATE_LANGUAGE", "id")
PINTU_WHATSAPP_UNIT = env.text("PINTU_WHATSAPP_UNIT", "UPT-SI")  # the unit its number serves

# Where people reach Pintu, for addresses given outside a page: the content calendar's
# feed, a one-time account link, the page of a grant, a survey's address.
PINTU_BASE_URL = env.text("PINTU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-learning (PR.13.2): one Moodle site from the environment (more with `pintu elearning
# site add`), its course list refreshed every PINTU_MOODLE_SYNC_MINUTES.
PINTU_MOODLE_URL = env.text("PINTU_MOODLE_URL", "")
PINTU_MOODLE_TOKEN = env.text("PINTU_MOODLE_TOKEN", "")
PINTU_MOODLE_SYNC_MINUTES = env.number("PINTU_MOODLE_SYNC_MINUTES", 60, minimum=5)
PINTU_MOODLE_TIMEOUT_SECONDS = env.number("PINTU_MOODLE_TIMEOUT_SECONDS", 20, minimum=1)
# B.1.8.17.a: the listed online services are probed every PINTU_PROBE_SECONDS; this many
# failed probes in a row are an outage, which opens an incident request.
PINTU_PROBE_SECONDS = env.number("PINTU_PROBE_SECONDS", 300, minimum=30)
PINTU_PROBE_TIMEOUT_SECONDS = env.number("PINTU_PROBE_TIMEOUT_SECONDS", 10, minimum=1)
PINTU_PROBE_FAILURES = env.number("PINTU_PROBE_FAILURES", 3, minimum=1)
# Partnerships: Unit Kerjasama is reminded this many days before an agreement ends.
PINTU_PARTNERS_REMINDER_DAYS = env.days("PINTU_PARTNERS_REMINDER_DAYS", (180, 90, 30))
# How long a partner's satisfaction-survey link stays open (days).
PINTU_PARTNERS_SURVEY_DAYS = env.number("PINTU_PARTNERS_SURVEY_DAYS", 30, minimum=1)

# B.1.15.12's "kenaikan minimal sebesar 5%": percentage points a year, or per cent of
# the year before ("relative"); the figure says which.
PINTU_PARTNERS_TARGET_READING = env.choice(
    "PINTU_PARTNERS_TARGET_READING", "points", ("points", "relative")
)
# The directory the campus accounts live in (pintu.doors.ldap): ldap:// with StartTLS
# (PINTU_LDAP_TLS=off only on loopback) or ldaps://; PINTU_LDAP_CA_FILE trusts a CA of
# its own instead of the system's.
PINTU_LDAP_URL = env.text("PINTU_LDAP_URL", "")
PINTU_LDAP_BIND_DN = env.text("PINTU_LDAP_BIND_DN", "")
PINTU_LDAP_PASSWORD = env.text("PINTU_LDAP_PASSWORD", "")
PINTU_LDAP_BASE_DN = env.text("PINTU_LDAP_BASE_DN", "")
PINTU_LDAP_TLS = env.choice("PINTU_LDAP_TLS", "starttls", ("starttls", "off"))
PINTU_LDAP_CA_FILE = env.text("PINTU_LDAP_CA_FILE", "")
# Campus accounts (PR.33.8, pintu.identity): the username pattern ({first}, {last}, {f},
# {l}, {id}, {kind}), how long a one-time link stays open, how long a disabled account
# stays in ou=people before it is moved aside, and the first uidNumber Pintu gives.
PINTU_IDENTITY_USERNAME_PATTERN = env.text("PINTU_IDENTITY_USERNAME_PATTERN", "{first}.{last}")
PINTU_IDENTITY_LINK_HOURS = env.number("PINTU_IDENTITY_LINK_HOURS", 72, minimum=1)
PINTU_IDENTITY_MOVE_ASIDE_DAYS = env.number("PINTU_IDENTITY_MOVE_ASIDE_DAYS", 180, minimum=0)
PINTU_IDENTITY_UID_START = env.number("PINTU_IDENTITY_UID_START", 10000, minimum=1000)
# The digital-service accounts' key (SOP SDM.5.OT.02.02-5068): the key itself, or a file
# holding it; never the database (pintu.vault.keys). Access reviews come every
# PINTU_VAULT_REVIEW_MONTHS months (a semester by default).
PINTU_VAULT_KEY = env.text("PINTU_VAULT_KEY", "")
PINTU_VAULT_KEY_FILE = env.text("PINTU_VAULT_KEY_FILE", "")
PINTU_VAULT_REVIEW_MONTHS = env.number("PINTU_VAULT_REVIEW_MONTHS", 6, minimum=1)
# A worker silent this long is dead or hung: /healthz says so, and the tasks it was
# running are run again (those safe to repeat) or failed (pintu.core.reaper).
PINTU_WORKER_STALE_SECONDS = env.number("PINTU_WORKER_STALE_SECONDS", 60, minimum=1)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Production hardening; every switch can be turned off behind a TLS-terminating proxy
# that already does the job.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.flag("PINTU_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env.number("PINTU_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (pintu.core.edge.SecurityHeadersMiddleware).
PINTU_CONTENT_SECURITY_POLICY = env.text(
    "PINTU_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# Who must sign in with a second factor (pintu.org.twofactor): "staff" (every role but
# requester; the default) or "off" (no one). Whoever set one up is asked for it anyway.
PINTU_TWO_FACTOR = env.choice("PINTU_TWO_FACTOR", "staff", ("staff", "off"))
# django-otp: a wrong code makes the next try wait 1, 2, 4, ... seconds.
OTP_TOTP_ISSUER = "Pintu"
# A session ends after this long without a request (each request starts the time again;
# pintu.core.sessions writes that down at most once a minute).
PINTU_SESSION_IDLE_MINUTES = env.number("PINTU_SESSION_IDLE_MINUTES", 60, minimum=1)
SESSION_COOKIE_AGE = PINTU_SESSION_IDLE_MINUTES * 60
# POSTs per client address and window (pintu.core.ratelimit): URL name -> (count, seconds).
PINTU_RATE_LIMITS = {
    "login": (env.number("PINTU_RATE_LOGIN_PER_5_MINUTES", 20, minimum=1), 300),
    "login-code": (env.number("PINTU_RATE_LOGIN_PER_5_MINUTES", 20, minimum=1), 300),
    "identity-handover": (env.number("PINTU_RATE_LOGIN_PER_5_MINUTES", 20, minimum=1), 300),
    "partners-survey-answer": (env.number("PINTU_RATE_LOGIN_PER_5_MINUTES", 20, minimum=1), 300),
    "portal-request": (env.number("PINTU_RATE_PORTAL_PER_HOUR", 30, minimum=1), 3600),
    "whatsapp-webhook": (env.number("PINTU_RATE_WEBHOOK_PER_MINUTE", 1200, minimum=1), 60),
}
if env.flag("PINTU_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # WeasyPrint and fontTools narrate every PDF at INFO, aiosmtpd (the local mail
    # catcher) every SMTP command; keep their warnings only.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
    "root": {
        "handlers": ["console"],
        "level": env.choice(
            "PINTU_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        ),
    },
}
