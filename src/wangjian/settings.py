"""Django settings for wangjian; every knob a bureau sets comes from ``wangjian.config``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url

from wangjian import config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()
# Everything the instance writes under its home (database, evidence, keys, uploads, logs) is the
# service account's alone: folders 0700, files 0600.
os.umask(0o077)
HOME.mkdir(parents=True, exist_ok=True)
HOME.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

SECRET_KEY = config.secret_key(create=True)
DEBUG = config.env_bool("WANGJIAN_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in (config.env("WANGJIAN_ALLOWED_HOSTS", "127.0.0.1,localhost")).split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (config.env("WANGJIAN_CSRF_TRUSTED_ORIGINS", "")).split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens stored hashed, with expiry, made and revoked by their users
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "wangjian.core",
    "wangjian.org",
    "wangjian.platform",
    "wangjian.orgweb",
    "wangjian.registry",
    "wangjian.monitoring",
    "wangjian.evidence",
    "wangjian.clues",
    "wangjian.cases",
    "wangjian.complaints",
    "wangjian.credit",
    "wangjian.risk",
    "wangjian.inspections",
    "wangjian.campaigns",
    "wangjian.leadership",
    "wangjian.bulletins",
    "wangjian.exchange",
    "wangjian.outreach",
    "wangjian.assist",
    "wangjian.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every request but static files (served above): who, from where, what, the answer, how long.
    "wangjian.core.accesslog.AccessLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wangjian.platform.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "wangjian.evidence.middleware.ReplayOriginOnlyMiddleware",
    # Before CSRF, whose check is the first to parse a form: a body over its page's cap is never read.
    "wangjian.core.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "wangjian.platform.middleware.IdleSessionTimeoutMiddleware",
    "wangjian.core.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Content-Security-Policy on every page: scripts only from this site (no inline script or handler:
# pages declare behaviour with data attributes, static/wangjian/wangjian.js acts on them), nothing
# loaded from elsewhere. Inline style attributes stay allowed (layout only). Captured pages replayed
# from the evidence store set their own, stricter policy (sandboxed, no script at all).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],  # the offline API reference (ReDoc) parses in a worker
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "wangjian.urls"
WSGI_APPLICATION = "wangjian.wsgi.application"

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
                "wangjian.platform.shell.shell",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(config.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["wangjian.org.auth.LockoutModelBackend"]
# The province's single sign-on (OpenID Connect), when configured: it names existing accounts only.
WANGJIAN_OIDC_ENABLED = bool(config.env("WANGJIAN_OIDC_CLIENT_ID", ""))
WANGJIAN_OIDC_LABEL = config.env("WANGJIAN_OIDC_LABEL", "省统一身份认证")
WANGJIAN_OIDC_USERNAME_CLAIM = config.env("WANGJIAN_OIDC_USERNAME_CLAIM", "preferred_username")
if WANGJIAN_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("wangjian.org.oidc.ProvinceSSOBackend")
    OIDC_RP_CLIENT_ID = config.env("WANGJIAN_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = config.env("WANGJIAN_OIDC_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = config.env("WANGJIAN_OIDC_AUTHORIZE_URL", "")
    OIDC_OP_TOKEN_ENDPOINT = config.env("WANGJIAN_OIDC_TOKEN_URL", "")
    OIDC_OP_USER_ENDPOINT = config.env("WANGJIAN_OIDC_USERINFO_URL", "")
    OIDC_OP_JWKS_ENDPOINT = config.env("WANGJIAN_OIDC_JWKS_URL", "") or None
    OIDC_RP_SIGN_ALGO = config.env("WANGJIAN_OIDC_SIGN_ALGO", "RS256" if OIDC_OP_JWKS_ENDPOINT else "HS256")
    OIDC_RP_SCOPES = config.env("WANGJIAN_OIDC_SCOPES", "openid profile")
    OIDC_CREATE_USER = False
    OIDC_TIMEOUT = 15
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "platform:workbench"
LOGOUT_REDIRECT_URL = "login"

# Password policy: at least 10 characters with letters and digits, not common, not like the user's name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wangjian.org.auth.MixedCharacterValidator"},
]
# Lock-out after repeated failures (counted per account).
WANGJIAN_LOGIN_MAX_FAILURES = int(config.env("WANGJIAN_LOGIN_MAX_FAILURES", "5"))
WANGJIAN_LOGIN_LOCK_MINUTES = int(config.env("WANGJIAN_LOGIN_LOCK_MINUTES", "15"))
# … and per address, whatever the accounts tried (guessing across accounts from one machine).
WANGJIAN_LOGIN_MAX_FAILURES_PER_ADDRESS = int(config.env("WANGJIAN_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
# Sessions: end with the browser, after 8 hours at most, and after 30 idle minutes.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 3600
WANGJIAN_SESSION_IDLE_SECONDS = int(config.env("WANGJIAN_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Behind a reverse proxy that terminates TLS (the deployment's usual shape): secure cookies, HSTS,
# redirect to https, and the proxy's X-Forwarded-Proto trusted to say the request came over TLS.
if config.env_bool("WANGJIAN_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(config.env("WANGJIAN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other systems of the intranet share the parent domain
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes of the proxy and the orchestrator
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Internal addresses the server may fetch although the address policy refuses them (loopback,
# private, link-local …): comma-separated addresses or CIDR ranges, besides the superuser's list.
WANGJIAN_FETCH_ALLOW = config.env("WANGJIAN_FETCH_ALLOW", "")
# Archived pages are replayed from this second origin (another host name), never from the
# application's own; its host must also be in WANGJIAN_ALLOWED_HOSTS. Empty: replayed here, sandboxed.
WANGJIAN_REPLAY_ORIGIN = config.env("WANGJIAN_REPLAY_ORIGIN", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WANGJIAN_STORAGE = config.storage_location()

# Uploads (core.uploads): a cap per kind, refused by the server before the body is read and by the
# services; files over FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk (in the home folder, not a
# /tmp that may live in memory) and stored from there in chunks, never held in memory whole.
WANGJIAN_IMPORT_MAX_BYTES = int(config.env("WANGJIAN_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES = int(
    config.env("WANGJIAN_EVIDENCE_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
)
# A zip (XLSX) is refused before parsing when its members declare more than this uncompressed in
# all, or expand more than this many times.
WANGJIAN_ZIP_MAX_BYTES = int(config.env("WANGJIAN_ZIP_MAX_BYTES", str(500 * 1024 * 1024)))
WANGJIAN_ZIP_MAX_RATIO = float(config.env("WANGJIAN_ZIP_MAX_RATIO", "100"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB: larger files go to a temporary file
FILE_UPLOAD_TEMP_DIR = str(HOME / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
# Rule libraries' regular expressions (monitoring.patterns): seconds one pattern may run on one
# text, seconds all patterns together may run on one page, and the longest pattern accepted.
WANGJIAN_REGEX_TIMEOUT = float(config.env("WANGJIAN_REGEX_TIMEOUT", "0.25"))
WANGJIAN_REGEX_PAGE_BUDGET = float(config.env("WANGJIAN_REGEX_PAGE_BUDGET", "2"))
WANGJIAN_REGEX_MAX_LENGTH = int(config.env("WANGJIAN_REGEX_MAX_LENGTH", "500"))
# The bureau issues an electronic business mark (网络经营主体标识) its sellers must show: sweeps check it (亮标).
WANGJIAN_EBIZ_MARK = config.env_bool("WANGJIAN_EBIZ_MARK")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wangjian.platform.authentication.TokenAuthentication",
        "wangjian.platform.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # ?limit= at most 500 (core.api.PAGE_SIZE_MAX); a JSON body must be an object (core.parsers).
    "DEFAULT_PAGINATION_CLASS": "wangjian.core.api.LimitOffsetPagination",
    "DEFAULT_PARSER_CLASSES": [
        "wangjian.core.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wangjian.core.api.exception_handler",
}
# API tokens (django-rest-knox): only a SHA-512 digest is stored; each lasts at most
# WANGJIAN_API_TOKEN_MAX_DAYS, and a user holds at most WANGJIAN_API_TOKEN_LIMIT live ones.
WANGJIAN_API_TOKEN_MAX_DAYS = int(config.env("WANGJIAN_API_TOKEN_MAX_DAYS", "90"))
WANGJIAN_API_TOKEN_LIMIT = int(config.env("WANGJIAN_API_TOKEN_LIMIT", "10"))
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=WANGJIAN_API_TOKEN_MAX_DAYS),
    "TOKEN_LIMIT_PER_USER": WANGJIAN_API_TOKEN_LIMIT,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "wangjian API",
    "DESCRIPTION": "网络市场线上线下一体化监管平台 REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its docs describe a supervision system's internals: staff and API tokens only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the errors it answers (400/401/403/404/409): platform/openapi.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wangjian.platform.openapi.document_errors",
    ],
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Celery: with no broker the same tasks run in the calling process.
CELERY_BROKER_URL = config.broker_url()
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Logs: the application log (wangjian.log) and the access log (access.log), a new file each day,
# WANGJIAN_LOG_KEEP_DAYS of them kept (网络安全法 art. 21: at least six months; core.logs).
LOG_DIR = Path(config.env("WANGJIAN_LOG_DIR") or HOME / "logs").expanduser().resolve()
LOG_DIR.mkdir(parents=True, exist_ok=True)
WANGJIAN_LOG_KEEP_DAYS = int(config.env("WANGJIAN_LOG_KEEP_DAYS", "190"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "console_level": {
            "()": "wangjian.core.logs.AtLeast",
            "level": config.env("WANGJIAN_LOG_LEVEL", "WARNING"),
        }
    },
    "handlers": {
        # The console shows what the level asks for; records logged "whatever the level" (the
        # ledger's anchored heads) go to the file only, so a command's output stays readable.
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["console_level"]},
        "file": {
            "class": "wangjian.core.logs.DailyFileHandler",
            "filename": str(LOG_DIR / "wangjian.log"),
            "keep_days": WANGJIAN_LOG_KEEP_DAYS,
            "formatter": "plain",
        },
        "access": {
            "class": "wangjian.core.logs.DailyFileHandler",
            "filename": str(LOG_DIR / "access.log"),
            "keep_days": WANGJIAN_LOG_KEEP_DAYS,
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console", "file"], "level": config.env("WANGJIAN_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Every signed head of the evidence ledger is logged, whatever the level: a copy of the
        # checkpoints outside the database (evidence.anchors).
        "wangjian.evidence.anchors": {"level": "INFO"},
        # The access log (core.accesslog): its own file only, whatever the level.
        "wangjian.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}

# /metrics (Prometheus text format) answers only a request carrying this bearer token; unset: 404.
WANGJIAN_METRICS_TOKEN = config.env("WANGJIAN_METRICS_TOKEN", "")
