"""Gemba Hall settings: one file, configured by environment variables only."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def local_secret_key(path: Path) -> str:
    """A key made once for this copy of the app and kept beside its database,
    for development and the demo: sessions survive a restart, and no key that
    anyone could read in the repository signs them."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(50))
    draft.chmod(0o600)
    try:
        # A link is made whole or not at all, so processes starting together
        # all end up with the one key that won.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
# The demo (make demo) runs with nothing configured.
DEMO = env_bool("GEMBAHALL_DEMO")
# Plain HTTP on loopback, for the demo only; production leaves it off.
ALLOW_HTTP = env_bool("GEMBAHALL_ALLOW_HTTP")
# Sessions and CSRF tokens are signed with it: without one of its own a server
# refuses to start (gembahall.core.checks), rather than sign with a known key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or DEMO):
    SECRET_KEY = local_secret_key(BASE_DIR / "var" / "secret-key")
# Phone numbers are stored encrypted under this key (gembahall.core.crypto):
# kept apart from the database and its backups; like SECRET_KEY, a server
# refuses to start without one, and the demo keeps a generated one.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY and (DEBUG or DEMO):
    FIELD_ENCRYPTION_KEY = local_secret_key(BASE_DIR / "var" / "field-key")
# sm4-gcm (the national algorithm, with HMAC-SM3 for the blind index) or
# aes-gcm (with HMAC-SHA256); rows written under the other one still read.
FIELD_ENCRYPTION_ALGORITHM = os.environ.get("FIELD_ENCRYPTION_ALGORITHM", "sm4-gcm")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pgtrigger",
    "django_tasks_db",
    "gembahall.core",
    "gembahall.accounts",
    "gembahall.org",
    "gembahall.standards",
    "gembahall.inspections",
    "gembahall.rectification",
    "gembahall.casework",
    "gembahall.ratings",
    "gembahall.reports",
    "gembahall.setup",
    "gembahall.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gembahall.core.middleware.NoStoreMiddleware",
    "gembahall.accounts.middleware.SessionTimeoutMiddleware",
    "gembahall.accounts.passwords.PasswordChangeRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gembahall.core.middleware.ActorMiddleware",
    "gembahall.accounts.otp_middleware.OTPRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gembahall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gembahall.core.context_processors.shell",
            ],
        },
    },
]

# Seconds before gunicorn ends a request that has not answered (gembahall serve).
WEB_TIMEOUT = int(os.environ.get("WEB_TIMEOUT", "30"))

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'gembahall.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A write waits for SQLite's one write lock until just before the worker
    # would be ended; past that the person is asked to try again (a 503 from
    # gembahall.core.errors) instead of losing the worker.
    busy_ms = max(WEB_TIMEOUT - 5, 1) * 1000
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            # secure_delete: a deleted or overwritten value (an erased phone
            # number, a row the encryption migration rewrote) is zeroed in
            # the file, not left in a free page.
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA secure_delete=ON; "
            f"PRAGMA busy_timeout={busy_ms};"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "gembahall.accounts.backends.LockoutBackend",
    "gembahall.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{VALIDATORS}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{VALIDATORS}.CommonPasswordValidator"},
    {"NAME": "gembahall.accounts.validators.CharacterClassValidator"},
    {
        "NAME": "gembahall.accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"keep": 5},
    },
]
# A password set by an administrator (or an account opened by the roster
# import) must be changed at the first sign-in and stops working after this
# many hours; any other password must be changed after this many days (0: never).
PASSWORD_TEMPORARY_HOURS = int(os.environ.get("PASSWORD_TEMPORARY_HOURS", "72"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in lockout: 5 failures within 15 minutes lock the account for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gembahall.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Staff of a hall share one NAT address, so locking by IP would lock out the
# whole hall; lockout is by account.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Failed sign-ins from one address: past this many within the window the
# failures answer 429; a right username and password still signs in, so a
# hall behind one NAT address is never shut out.
SIGN_IN_THROTTLE_FAILURES = int(os.environ.get("SIGN_IN_THROTTLE_FAILURES", "20"))
SIGN_IN_THROTTLE_WINDOW = timedelta(
    minutes=int(os.environ.get("SIGN_IN_THROTTLE_MINUTES", "10"))
)

# Two factors (TOTP): the issuer authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Gemba Hall"

# Sessions: 30 minutes idle, 12 hours absolute.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
# Sessions one account may hold at once: a new sign-in ends the oldest.
SESSION_CAP = int(os.environ.get("SESSION_CAP", "3"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "gembahall.core.errors.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles come only from the app's own static files: no inline
# <script>, <style>, style="" or on…="" anywhere (a test reads every template),
# and the JavaScript sets dynamic sizes through el.style, which CSP allows.
# Images may also be data: URLs, which Bootstrap's CSS draws its small icons
# with (a select's arrow, the menu button, a valid field's tick).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
if not ALLOW_HTTP and not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gembahall" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules" / "tom-select" / "dist"),
    ("vendor/flatpickr", BASE_DIR / "node_modules" / "flatpickr" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Per-process cache of rendered fragments; keys carry a version that every
# change bumps, so processes never serve each other's stale copies.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gembahall@localhost")

# Rows written per batch by imports.
IMPORT_BATCH_SIZE = int(os.environ.get("IMPORT_BATCH_SIZE", "500"))
# Every spreadsheet import refuses a file larger than this (the upload pages,
# the API and the import commands alike).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "50")) * 1024 * 1024
# An Excel workbook is a zip: its contents may expand to at most this much,
# in at most this many entries, checked before any parser opens it.
IMPORT_MAX_EXPANDED_BYTES = (
    int(os.environ.get("IMPORT_MAX_EXPANDED_MB", "100")) * 1024 * 1024
)
IMPORT_MAX_ZIP_ENTRIES = int(os.environ.get("IMPORT_MAX_ZIP_ENTRIES", "1000"))

# Photos: a file of at most this size and this many pixels (a phone camera
# makes up to about 50 megapixels), read from the image's header before
# anything is decoded.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_MB", "10")) * 1024 * 1024
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_MEGAPIXELS", "50")) * 1_000_000
# One person uploads at most this many photos in PHOTO_RATE_MINUTES, counted
# in the cache (point CACHES at a shared cache to count across processes).
PHOTO_RATE_LIMIT = int(os.environ.get("PHOTO_RATE_LIMIT", "60"))
PHOTO_RATE_MINUTES = int(os.environ.get("PHOTO_RATE_MINUTES", "10"))
# Photo files without a record (a request that failed after writing them) are
# deleted by the periodic job once they are this old.
PHOTO_ORPHAN_HOURS = int(os.environ.get("PHOTO_ORPHAN_HOURS", "24"))

# An item deducted again while the unit's problem from the previous official
# inspection is still open deducts this many times (within its cap); 1 turns
# the rule off.
GEMBAHALL_REPEAT_MULTIPLIER = float(os.environ.get("GEMBAHALL_REPEAT_MULTIPLIER", "2"))

# Working days a problem's owner has to fix it, by severity.
GEMBAHALL_DEADLINE_DAYS = {
    "serious": int(os.environ.get("GEMBAHALL_DEADLINE_SERIOUS", "2")),
    "general": int(os.environ.get("GEMBAHALL_DEADLINE_GENERAL", "5")),
    "minor": int(os.environ.get("GEMBAHALL_DEADLINE_MINOR", "10")),
}
# The reminder job warns this many working days before a deadline.
GEMBAHALL_REMIND_DAYS_BEFORE = int(os.environ.get("GEMBAHALL_REMIND_DAYS_BEFORE", "1"))
# Reminders also go by e-mail once an SMTP server is configured.
GEMBAHALL_EMAIL_REMINDERS = bool(os.environ.get("EMAIL_HOST"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # 403 and 404 answers are expected traffic, not warnings worth a traceback.
    "loggers": {"django.request": {"level": "ERROR"}},
}

PRODUCT_NAME = _("Gemba Hall")

# Service KPIs: a wait of this many minutes or more counts as overtime; a
# rating at or above this level counts as satisfied.
GEMBAHALL_WAIT_THRESHOLD_MINUTES = int(os.environ.get("GEMBAHALL_WAIT_THRESHOLD", "20"))
GEMBAHALL_SATISFIED_LEVEL = int(os.environ.get("GEMBAHALL_SATISFIED_LEVEL", "3"))
# Ratings: posts per window link and per address in an hour, set far above
# what a busy hall reaches (its citizens share one Wi-Fi address), and the
# working days a bad rating's rectification gets.
GEMBAHALL_RATING_LIMIT_PER_WINDOW = int(
    os.environ.get("GEMBAHALL_RATING_LIMIT_PER_WINDOW", "600")
)
GEMBAHALL_RATING_LIMIT_PER_ADDRESS = int(
    os.environ.get("GEMBAHALL_RATING_LIMIT_PER_ADDRESS", "3000")
)
GEMBAHALL_RATING_RECTIFY_DAYS = int(
    os.environ.get("GEMBAHALL_RATING_RECTIFY_DAYS", "15")
)
# Days after a citizen's follow-up closes (the return visit, or the rating
# itself when none was due) before the number they left is erased.
GEMBAHALL_PHONE_RETENTION_DAYS = int(
    os.environ.get("GEMBAHALL_PHONE_RETENTION_DAYS", "30")
)
# Working days after a rating in which its window may appeal against it.
GEMBAHALL_RATING_APPEAL_DAYS = int(os.environ.get("GEMBAHALL_RATING_APPEAL_DAYS", "5"))

# Backups (gembahall backup / restore): one directory per backup in
# GEMBAHALL_BACKUP_DIR, made every day at GEMBAHALL_BACKUP_AT (local time;
# empty turns the daily backup off), the newest GEMBAHALL_BACKUP_KEEP kept.
# GEMBAHALL_PG_BIN names the folder of pg_dump, pg_restore and psql when they
# are not the ones on PATH (their major version must be at least the server's).
GEMBAHALL_BACKUP_DIR = Path(
    os.environ.get("GEMBAHALL_BACKUP_DIR", BASE_DIR / "var" / "backups")
)
GEMBAHALL_BACKUP_AT = os.environ.get("GEMBAHALL_BACKUP_AT", "02:00")
GEMBAHALL_BACKUP_KEEP = int(os.environ.get("GEMBAHALL_BACKUP_KEEP", "14"))
GEMBAHALL_PG_BIN = os.environ.get("GEMBAHALL_PG_BIN", "")
# Every stored photo file is checked against its SHA-256 every day at this
# local time (empty turns the check off).
GEMBAHALL_PHOTO_CHECK_AT = os.environ.get("GEMBAHALL_PHOTO_CHECK_AT", "03:00")
# Audit trail. Events are kept in the database for AUDIT_RETENTION_DAYS (at
# least 180, 等保 2.0 and the Cybersecurity Law's six months), then moved to
# signed archive files under AUDIT_ARCHIVE_DIR by the periodic job. AUDIT_KEY
# keys the events' hash chains and the archives' signatures (derived from
# SECRET_KEY when unset); it must never change. AUDIT_SYSLOG_ADDRESS forwards
# every event to a syslog server: udp://host:514, tcp://host:514 or a socket
# path such as /dev/log; empty (the default) forwards nothing.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))
AUDIT_ARCHIVE_DIR = Path(
    os.environ.get("AUDIT_ARCHIVE_DIR", BASE_DIR / "var" / "audit-archive")
)
AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
AUDIT_SYSLOG_ADDRESS = os.environ.get("AUDIT_SYSLOG_ADDRESS", "")
AUDIT_SYSLOG_FACILITY = os.environ.get("AUDIT_SYSLOG_FACILITY", "local0")
