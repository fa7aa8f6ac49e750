"""Settings for the training hub.

Every value comes from the environment, with an embedded default that runs on one machine:
SQLite, Celery tasks run eagerly in-process, emails printed to the console, Stripe off.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.cache import caches_for
from config.env import env_bool, env_int, env_list, env_str
from config.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or "insecure-embedded-default-key-set-DJANGO_SECRET_KEY-in-production"
if env_bool("DJANGO_HTTPS", default=False) and not env_str("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when the hub is served over HTTPS (production).")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
PARTNERSHIP_NAME = env_str("PARTNERSHIP_NAME", "Halton Children and Young People Safeguarding Partnership")
PARTNERSHIP_SLUG = env_str("PARTNERSHIP_SLUG", "halton")  # the partnership existing data belongs to
# The network's name in the header and page titles on a hub of several partnerships (empty: a plain default,
# people.partnerships.DEFAULT_NETWORK_NAME); a hub of one shows PARTNERSHIP_NAME whatever this says.
NETWORK_NAME = env_str("NETWORK_NAME", "").strip()
# Where people write about the service: access needs, their data, anything else (shown in the footer's pages).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "CYPSafeguardingPartnership@halton.gov.uk")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "people",
    "courses",
    "bookings",
    "attendance",
    "charging",
    "certificates",
    "notifications",
    "resources",
    "reports",
    "health",
    "reviews",
    "demo",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",
    "config.middleware.PartnershipsReadOnceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RefuseUnreadableInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.hub",
            ],
        },
    },
    {
        # Plain-text emails: the same templates, not HTML-escaped ("O'Brien", not "O&#x27;Brien").
        # The HTML part escapes the text once, when it wraps it.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# --- Database: DATABASE_URL (PostgreSQL in production), SQLite by default.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # Health checks: a connection that died (a PostgreSQL restart) is replaced on the next request.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", default=60),
                                                  conn_health_checks=True)}
    is_postgresql = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
    if is_postgresql and env_bool("DB_PREPARED_STATEMENTS", default=True):
        # Values travel apart from the SQL, and a statement run a few times on a connection is kept
        # parsed and planned by PostgreSQL (psycopg's prepared statements): less CPU on both sides for
        # the same few queries every request runs. Turn off behind PgBouncer in transaction mode.
        DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "hub.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in (django-allauth, with its headless API for app tokens).
AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = [
    "people.backends.ModelBackend",
    "people.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "people.signup.SignupDetails"  # the web form and the headless API
ACCOUNT_FORMS = {  # allauth's forms, with GOV.UK's words for what is missing
    "signup": "people.forms.HubSignupForm",
    "login": "people.forms.HubLoginForm",
    "change_password": "people.forms.HubChangePasswordForm",
    "set_password": "people.forms.HubSetPasswordForm",
    "reset_password": "people.forms.HubResetPasswordForm",
    "reset_password_from_key": "people.forms.HubResetPasswordKeyForm",
    "add_email": "people.forms.HubAddEmailForm",
    "reauthenticate": "people.forms.HubReauthenticateForm",
}
ACCOUNT_ADAPTER = "people.adapter.HubAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Training hub] "
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Sign-in limits. Hundreds of staff can share one public address (a council's or the NHS's network), so
# the limits per address are wide and only stop a flood; the limits per account (the email typed) do the
# real work: five wrong passwords for one account in five minutes, and it waits. allauth's defaults
# (30 sign-ins and 10 failures a minute per address) would turn a council away at 9:00 on the day a
# popular course opens.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",  # every sign-in, right or wrong
    "login_failed": "100/m/ip,5/5m/key",
    "signup": "60/m/ip",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
}
# How many proxies of ours stand in front of gunicorn (the TLS proxy: 1), so that allauth reads the
# person's own address from X-Forwarded-For; 0 (no proxy) trusts no header and uses the peer's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("ALLAUTH_TRUSTED_PROXY_COUNT is the number of proxies in front of the hub: 0 or more.")
HEADLESS_CLIENTS = ("app",)
HEADLESS_SERVE_SPECIFICATION = False

# --- The API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # DRF sets a created object's Location header from this field of the answer. "url" is a resource's
    # own web address, typed by a person: never a header. No serializer has a field by this name.
    "URL_FIELD_NAME": "api_url",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Training hub API",
    "DESCRIPTION": "Public API, version 1, of the multi-agency safeguarding training hub.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SessionFormatEnum": "courses.models.Session.Format",
        "SessionStatusEnum": "courses.models.Session.Status",
        "DisseminationFormatEnum": "resources.models.Dissemination.Format",
        "RecommendationStatusEnum": "reviews.models.Recommendation.Status",
    },
}

# --- Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = env_str("REDIS_URL")
# --- Django's cache, which holds allauth's sign-in rate limits: Redis when REDIS_URL is set, so every
# web process and machine counts together; this process's memory otherwise (config/cache.py).
CACHES = caches_for(REDIS_URL)
# In-process, the broker is kombu's in-memory transport; it is named with a host (which it ignores) so kombu
# does not warn "No hostname was supplied" each time a task runs eagerly.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL else None  # kombu's, a client reused
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/London"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down, a request gives up handing over its message within a second: the outbox row
# waits and the sweep sends it once Redis is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# Celery 6's behaviour now (no task of ours acknowledges late, so nothing changes but a warning
# printed at every lost connection).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# --- Email: Django's own names; console by default.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds before a silent mail server counts as down (the outbox tries again); Django's default waits for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Training hub <training@haltonsafeguarding.example>")

# --- Stripe: off (charges wait) until STRIPE_API_KEY is set.
STRIPE_API_KEY = env_str("STRIPE_API_KEY")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")

# --- Time and language.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files: govuk-frontend is compiled into static/build by the set-up (npm run build).
STATIC_URL = "static/"
STATIC_ROOT = env_str("STATIC_ROOT") or BASE_DIR / "staticfiles"  # collectstatic writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app folders too, so the embedded default needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Files browsers ask for at the site's root (/favicon.ico, /apple-touch-icon.png) are served from here.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security. Behind HTTPS (DJANGO_HTTPS=true): secure cookies, HSTS, redirect to https, and
# the proxy's X-Forwarded-Proto trusted. The Content Security Policy allows only this site's own
# scripts and styles (Django's admin and the API docs page, which use inline code, are left out).
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/deep$"]
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis when CACHES has it), written through to the database so that
# none is lost when the cache is emptied: a booking's request then needs no session query at all.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/manage/", "/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- How much a request may carry. A file (the Teams attendance report, the only upload) may be
# UPLOAD_MAX_BYTES; a body larger than that (with a little room for a form's other fields) is refused
# with a 413 before it is read. A form's fields or a JSON body may be DATA_UPLOAD_MAX_MEMORY_SIZE, the
# longest text any field takes being far below it; an uploaded file up to the limit stays in memory.
UPLOAD_MAX_BYTES = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES

# --- Privacy: people inactive this many years are anonymised (their statistics stay).
RETENTION_YEARS = env_int("RETENTION_YEARS", default=6)

# --- Booking rules with partnership defaults.
BOOKING_CLOSES_WORKING_DAYS = env_int("BOOKING_CLOSES_WORKING_DAYS", default=3)

# --- Logs (config/logs.py): time, level, logger and request id on every line; LOG_FORMAT=json for
# one JSON object a line. Celery's worker and beat use it too (config/celery.py).
LOGGING = logging_config(fmt=env_str("LOG_FORMAT", "text"), level=env_str("LOG_LEVEL", "INFO"))
