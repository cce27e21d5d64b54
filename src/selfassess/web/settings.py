"""Django settings. SQLite (WAL) in ./var by default; PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import os
from pathlib import Path

from selfassess.web.database import database_from_url
from selfassess.web.storage import no_bucket_named, s3_storage

BASE = Path(__file__).resolve().parent
VAR = Path(os.environ.get("SELFASSESS_VAR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SELFASSESS_SECRET_KEY", "insecure-development-key-set-SELFASSESS_SECRET_KEY")  # checks.py
# Respondents' links are derived from the secret (services.invitations): to rotate it without ending every link,
# set the new secret and list the old one here (comma-separated), as Django's SECRET_KEY_FALLBACKS.
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SELFASSESS_SECRET_KEY_FALLBACKS", "").split(",") if k]
# The address the service is reached at, for links in e-mails sent without a request (scheduled reminders).
SITE_URL = os.environ.get("SELFASSESS_SITE_URL", "http://127.0.0.1:8000")
DEBUG = os.environ.get("SELFASSESS_DEBUG_WEB") == "1"
ALLOWED_HOSTS = os.environ.get("SELFASSESS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "selfassess.web",
]
MIDDLEWARE = [
    "selfassess.web.healthz.HealthCheckMiddleware",  # first: a load balancer's /healthz needs nothing else
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "selfassess.web.security.SecurityHeadersMiddleware",
    "selfassess.web.ask_again.AskAgainMiddleware",  # a report's files gone as it was read: ask again
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before Argon2, and upgrades them
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in is throttled: five failures lock that user name from that address for an hour, and thirty failures
# from one address (whatever the user names) lock that address. Behind a reverse proxy, say how many proxies
# stand in front (SELFASSESS_TRUSTED_PROXIES), or every client shares the proxy's address (security.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "selfassess.web.security.client_address"
TRUSTED_PROXIES = int(os.environ.get("SELFASSESS_TRUSTED_PROXIES", "0"))
ADDRESS_FAILURE_LIMIT = 30
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
ROOT_URLCONF = "selfassess.web.urls"
TEMPLATES = [
    {
        # The service's pages (web/jinja2): Jinja2 renders a questionnaire page in a fraction of the time.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "selfassess.web.jinja.environment"},
    },
    {
        # Only for the templates that installed apps bring with them.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]
WSGI_APPLICATION = "selfassess.web.wsgi.application"
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"), VAR / "selfassess.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE / "static"]
STATIC_ROOT = VAR / "static"
MEDIA_ROOT = VAR / "files"
# Files the service keeps (report sets, trust PDFs, uploads kept for audit, backups) go through Django's storage
# API: MEDIA_ROOT on this machine, or, when SELFASSESS_S3_BUCKET is set, that S3-compatible bucket, shared by every
# web server and worker (then no folder need be shared). SELFASSESS_S3_ENDPOINT_URL names a service other than
# Amazon's; SELFASSESS_S3_REGION and SELFASSESS_S3_PREFIX (a folder in the bucket) are optional. Credentials
# are boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role.
S3_BUCKET = os.environ.get("SELFASSESS_S3_BUCKET", "")
no_bucket_named(os.environ)
STORAGES = {
    "default": s3_storage(S3_BUCKET, os.environ)
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"allow_overwrite": True}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# E-mail: printed by the worker (console) unless told otherwise. SELFASSESS_EMAIL_FILE_PATH keeps each message
# as a file in that folder instead; SELFASSESS_EMAIL_HOST sends through that SMTP server (with _PORT, _USER,
# _PASSWORD, and _TLS=0 to turn STARTTLS off).
EMAIL_FILE_PATH = os.environ.get("SELFASSESS_EMAIL_FILE_PATH", "")
EMAIL_HOST = os.environ.get("SELFASSESS_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("SELFASSESS_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SELFASSESS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SELFASSESS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SELFASSESS_EMAIL_TLS", "1") == "1"
EMAIL_TIMEOUT = 30
# SELFASSESS_EMAIL_BACKEND names any other Django e-mail backend (a dotted path), e.g. a provider's.
EMAIL_BACKEND = os.environ.get("SELFASSESS_EMAIL_BACKEND") or "django.core.mail.backends." + (
    "smtp.EmailBackend" if EMAIL_HOST else "filebased.EmailBackend" if EMAIL_FILE_PATH else "console.EmailBackend"
)
DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL") or os.environ.get("SELFASSESS_FROM_EMAIL") or "selfassess@localhost"
)
# A sending taken up by a worker and not finished this long after is taken up again (its worker died); nobody
# already written to is written to again. Workers look for due reminders every REMINDER_CHECK_SECONDS.
EMAIL_RETRY_MINUTES = float(os.environ.get("SELFASSESS_EMAIL_RETRY_MINUTES", "10"))
REMINDER_CHECK_SECONDS = float(os.environ.get("SELFASSESS_REMINDER_CHECK_SECONDS", "60"))
# Form fields (not files) are small; files stream to disk past 2.5 MB, and are dropped past the largest we take.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "selfassess.web.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SUPPRESSION_THRESHOLD = int(os.environ.get("SELFASSESS_THRESHOLD", "5"))
# Who publishes the reports, as their first page says (the organisation running the rounds).
PUBLISHER = os.environ.get("SELFASSESS_PUBLISHER", "")

# Work off the request path (report sets, PDFs, e-mail) goes through Django's tasks API, stored in the same
# database: `selfassess worker` runs a worker (serve starts one beside itself); any number may run, on any
# machine that reaches the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "downloads"]}}
# A build not finished this many minutes after it was asked for is taken to have lost its worker, and asked again.
REPORT_BUILD_STALE_MINUTES = int(os.environ.get("SELFASSESS_BUILD_STALE_MINUTES", "15"))

# Errors go to standard error (gunicorn's log, or the terminal), with their traceback. No log shows a
# respondent's link: every record passes a filter that cuts the token out of any /r/<token>/ path
# (security.HideLinks), the development server's request log included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_links": {"()": "selfassess.web.security.HideLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_links"]}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
