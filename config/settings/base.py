"""Settings shared by every environment. Values come from ``DJANGO_*`` variables and ``DATABASE_URL``.

Every variable is listed in README.md.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "core",
    "accounts",
    "partners",
    "agreements",
    "activities",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.PolicyTripwireMiddleware",
    "core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AuditDeniedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL 15 is the production database (README).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
    # concurrent edits queue instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections kept between requests (Django's CONN_MAX_AGE, checked before reuse): without, every request first
# opens a connection, which on PostgreSQL starts a server process and costs more than most of the request's queries.
DATABASE_CONN_MAX_AGE = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_MAX_AGE"] = DATABASE_CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password rules: Decision 742/QĐ-BTTTT (2023) on minimum information-security requirements asks
# for passwords of sufficient length mixing character classes; the length is configurable.
PASSWORD_MIN_LENGTH = env.int("DJANGO_PASSWORD_MIN_LENGTH", default=10)
PASSWORD_REQUIRE_CLASSES = env.int("DJANGO_PASSWORD_REQUIRE_CLASSES", default=3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassValidator",
        "OPTIONS": {"required_classes": PASSWORD_REQUIRE_CLASSES},
    },
]

# Lock-out by the pair (username, address): an attacker from another address cannot lock a
# victim out, and every lock ends after the cool-off.
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The same client address as the audit log: behind a trusted proxy, the one it forwards (core.network).
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"

# The reverse proxies in front of the application (addresses or CIDR networks, comma-separated). Only a request
# whose direct peer is one of them has its X-Forwarded-For believed, and only the hops these proxies appended:
# otherwise anyone could choose the address a lock-out or an audit entry is filed under. Empty: no proxy is
# trusted and the peer's address is the client's. Parsed here so that a mistyped entry stops the start-up.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(entry.strip(), strict=False))
    for entry in env.list("DJANGO_TRUSTED_PROXIES", default=[])
    if entry.strip()
]

# Two-factor authentication (TOTP) is required for the admin roles (accounts.roles).
OTP_TOTP_ISSUER = env("DJANGO_OTP_ISSUER", default="Đối ngoại địa phương")
TWO_FACTOR_REQUIRED_FOR_ADMINS = env.bool("DJANGO_2FA_REQUIRED_FOR_ADMINS", default=True)

# Idle and absolute session time-outs, in seconds.
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("DJANGO_SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded and generated files: random names, no public URL (core.storage); served only by views that ask the
    # owning record's policy (core.files). There is deliberately no MEDIA_URL.
    "default": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# How a file view sends a file once the policy allowed it: "django" streams it; "x-sendfile" (Apache mod_xsendfile,
# lighttpd) and "x-accel-redirect" (nginx: an `internal` location at X_ACCEL_PREFIX aliased to MEDIA_ROOT) hand
# it to the web server, which sends large files better (README, "Files").
FILE_SERVING = env.str("DJANGO_FILE_SERVING", default="django")
if FILE_SERVING not in {"django", "x-sendfile", "x-accel-redirect"}:
    raise ImproperlyConfigured("DJANGO_FILE_SERVING must be django, x-sendfile or x-accel-redirect")
X_ACCEL_PREFIX = env.str("DJANGO_X_ACCEL_PREFIX", default="/protected-files/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("DJANGO_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đối ngoại địa phương API",
    "DESCRIPTION": "Registries of local foreign affairs (CONTRACT.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets share the field name "status": name each enum after its own class.
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "core.choices.JobStatus",
        "RelationshipStatusEnum": "partners.choices.RelationshipStatus",
        "DatePrecisionEnum": "core.choices.DatePrecision",
        "SigningModeEnum": "agreements.choices.SigningMode",
        "UnitLevelEnum": "core.choices.UnitLevel",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE

# Content Security Policy: every file is served by this server (intranet deployments; data must
# not leave the country), so 'self' suffices everywhere.
CONTENT_SECURITY_POLICY = {
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
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# International agreements (agreements.workflow): working days for a consulted body's written reply, and days
# after signing for the copy owed to the Ministry of Foreign Affairs (Law 70/2020/QH14; check the consolidated
# text and set them here if they differ).
AGREEMENTS_REPLY_WORKING_DAYS = env.int("DJANGO_AGREEMENTS_REPLY_WORKING_DAYS", default=10)
AGREEMENTS_COPY_DAYS = env.int("DJANGO_AGREEMENTS_COPY_DAYS", default=30)
# The policy tripwire (core.policy): on in the test settings, off in production, where a query that skipped
# its policy must not turn into an error page.
SCOPE_TRIPWIRE = False
# The partner name resolver (partners.resolve) asks the database whether its in-memory index is stale at most this
# often (seconds): what another process writes, or a bulk import in this one, is found after at most this long;
# a change saved in this process is seen at once. 0 asks on every call.
RESOLVER_RECHECK_SECONDS = env.float("DJANGO_RESOLVER_RECHECK_SECONDS", default=1.0)
