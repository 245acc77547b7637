"""Configuration: every key falls back to a MARKETPLACE_-prefixed environment variable.

`Config` is the production shape (a secret key must come from the environment), `DevConfig` is the
embedded default used by `make run`, and `TestConfig` is what the test suite starts from.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import overload

ROOT = Path(__file__).resolve().parent.parent


@overload
def env(name: str) -> str | None: ...


@overload
def env(name: str, default: str) -> str: ...


@overload
def env(name: str, default: str | None) -> str | None: ...


def env(name: str, default: str | None = None) -> str | None:
    """Read MARKETPLACE_<NAME> from the environment, falling back to a default."""
    return os.environ.get(f"MARKETPLACE_{name}", default)


def env_int(name: str, default: int) -> int:
    """Read MARKETPLACE_<NAME> as a whole number, falling back to a default."""
    return int(env(name, str(default)))


def env_float(name: str, default: float) -> float:
    """Read MARKETPLACE_<NAME> as a number, falling back to a default."""
    return float(env(name, str(default)))


def env_bool(name: str, default: bool) -> bool:
    """Read MARKETPLACE_<NAME> as a switch: "1" is on, anything else off; unset, the default."""
    return env(name, "1" if default else "0") == "1"


class Config:
    """Settings shared by every environment; secrets come from the environment."""

    INSTANCE_PATH = env("INSTANCE_PATH", str(ROOT / "instance"))
    SECRET_KEY = env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or env("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    PAGE_SIZE = env_int("PAGE_SIZE", 12)
    # Rate limits are shared by every worker only through a shared store: Redis in production.
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_ACCOUNT_LIMIT = env("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes")
    REGISTER_RATE_LIMIT = env("REGISTER_RATE_LIMIT", "10 per hour")
    PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    # Calls per API token (per address without one); a limit string of Flask-Limiter.
    API_RATE_LIMIT = env("API_RATE_LIMIT", "600 per minute")
    PASSWORD_RESET_ACCOUNT_LIMIT = env("PASSWORD_RESET_ACCOUNT_LIMIT", "3 per hour")
    PASSWORD_RESET_MAX_AGE = env_int("PASSWORD_RESET_MAX_AGE", 3600)
    PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
    PASSWORD_MIN_SCORE = env_int("PASSWORD_MIN_SCORE", 2)
    PROXY_COUNT = env_int("PROXY_COUNT", 0)
    HTTPS = env_bool("HTTPS", True)
    FORCE_HTTPS = HTTPS
    HSTS_MAX_AGE = env_int("HSTS_MAX_AGE", 365 * 24 * 3600)
    WTF_CSRF_TIME_LIMIT = env_int("CSRF_TIME_LIMIT", 4 * 3600)
    SESSION_COOKIE_SECURE = HTTPS
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_DAYS = env_int("REMEMBER_DAYS", 30)
    REMEMBER_TOKEN_COOKIE = "moshu_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=REMEMBER_DAYS)
    REMEMBER_COOKIE_SECURE = HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)  # one licence, contract or invoice file
    UPLOAD_FOLDER = env("UPLOAD_FOLDER")  # default: the instance folder's uploads/
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 1024 * 1024  # a request carries one file and its form
    MATCHING_BACKEND = env("MATCHING_BACKEND", "e5")
    MATCHING_STORE = env("MATCHING_STORE", "embedded")  # embedded (FAISS + BM25 files) or postgres (pgvector)
    ANALYTICS_MATCH_BATCH = env_int("ANALYTICS_MATCH_BATCH", 200)  # needs' best matches recomputed per refresh
    MATCHING_MODEL_PATH = env("MATCHING_MODEL_PATH")
    MATCHING_INDEX_DIR = env("MATCHING_INDEX_DIR")
    MATCHING_THREADS = env("MATCHING_THREADS")
    MATCHING_SYNC_LIMIT = env_int("MATCHING_SYNC_LIMIT", 20)
    MATCHING_CATCH_UP_LIMIT = env_int("MATCHING_CATCH_UP_LIMIT", 20)
    MATCHING_BUILD_WAIT = env_float("MATCHING_BUILD_WAIT", 0.0)
    MATCHING_RELOAD_INTERVAL = env_float("MATCHING_RELOAD_INTERVAL", 1.0)
    MATCHING_HNSW_THRESHOLD = env_int("MATCHING_HNSW_THRESHOLD", 50000)
    MATCHING_RELEVANCE_FLOOR = env("MATCHING_RELEVANCE_FLOOR")  # default: the floor fitted with the calibration
    MATCHING_CANDIDATES = env_int("MATCHING_CANDIDATES", 200)
    MATCHING_WARM_ON_START = env_bool("MATCHING_WARM_ON_START", True)
    MATCHING_SAVE_DELAY = env_float("MATCHING_SAVE_DELAY", 1.0)
    ANALYTICS_SEARCH_QUERIES_PER_DAY = env_int("ANALYTICS_SEARCH_QUERIES_PER_DAY", 2000)
    SEARCH_RATE_LIMIT = env("SEARCH_RATE_LIMIT", "60 per minute;2000 per day")
    PDF_RATE_LIMIT = env("PDF_RATE_LIMIT", "6 per minute;60 per day")
    MATCHING_ENCODE_MAX_CHARS = env_int("MATCHING_ENCODE_MAX_CHARS", 1000)
    SAVED_SEARCH_LIMIT = env_int("SAVED_SEARCH_LIMIT", 20)
    NEED_STALE_GRACE_DAYS = env_int("NEED_STALE_GRACE_DAYS", 14)
    NEED_ALERT_WINDOW_DAYS = env_int("NEED_ALERT_WINDOW_DAYS", 7)
    LEADS_LISTINGS_MAX = env_int("LEADS_LISTINGS_MAX", 50)  # a vendor's listings the leads inbox asks the index about
    LEADS_PER_LISTING = env_int("LEADS_PER_LISTING", 20)  # the best needs asked for per listing
    HOME_COUNTS_SECONDS = env_int("HOME_COUNTS_SECONDS", 60)  # how long a worker keeps the home page's counts
    SITE_URL = env("SITE_URL", "")
    PG_BIN = env("PG_BIN")
    BACKUP_DIR = env("BACKUP_DIR")
    MAIL_BACKEND = env("MAIL_BACKEND", "smtp")
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env("MAIL_DEFAULT_SENDER", "noreply@moshu.example.cn")
    MAIL_LOCAL_RELAY = env_bool("MAIL_LOCAL_RELAY", False)  # a mail relay on localhost is intended
    # The job queue (`marketplace/jobs/`): unset = SQLite storage in the instance folder (embedded), or a
    # redis:// URL (production). With JOBS_IMMEDIATE a task runs in the process that enqueues it (tests).
    JOBS_URL = env("JOBS_URL")
    JOBS_IMMEDIATE = env_bool("JOBS_IMMEDIATE", False)
    JOBS_WORKERS = env_int("JOBS_WORKERS", 2)
    JOBS_POLL_SECONDS = env_float("JOBS_POLL_SECONDS", 0.2)
    JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 5)
    JOBS_LEASE_SECONDS = env_float("JOBS_LEASE_SECONDS", 120.0)
    JOBS_RETRY_SECONDS = env_float("JOBS_RETRY_SECONDS", 10.0)
    JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 8)
    JOBS_INDEX_BATCH = env_int("JOBS_INDEX_BATCH", 200)
    DIGEST_TIME = env("DIGEST_TIME", "07:30")  # local time (BABEL_DEFAULT_TIMEZONE) of the daily digests
    JOB_CLAIM_KEEP_DAYS = env_int("JOB_CLAIM_KEEP_DAYS", 14)
    # Webhooks (`marketplace/webhooks/`): http endpoints on the loopback host are allowed only where
    # WEBHOOK_ALLOW_LOCAL is on (development and tests); otherwise https to public addresses only.
    WEBHOOK_ALLOW_LOCAL = env_bool("WEBHOOK_ALLOW_LOCAL", False)
    WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 5.0)
    WEBHOOK_RETRY_SECONDS = env("WEBHOOK_RETRY_SECONDS", "60,300,1800,7200,43200")  # before each retry
    WEBHOOK_DISABLE_AFTER = env_int("WEBHOOK_DISABLE_AFTER", 5)  # deliveries failed in a row


class DevConfig(Config):
    """The embedded default: SQLite in the instance folder and a development secret."""

    SECRET_KEY = env("SECRET_KEY", "dev-only-not-for-production")
    SQLALCHEMY_DATABASE_URI = Config.SQLALCHEMY_DATABASE_URI or (
        "sqlite:///" + str(Path(Config.INSTANCE_PATH) / "marketplace.sqlite")
    )
    MAIL_BACKEND = env("MAIL_BACKEND", "file")
    MAIL_SUPPRESS_SEND = MAIL_BACKEND != "smtp"  # a developer who chose smtp (e.g. a local mail catcher) gets it
    HTTPS = env_bool("HTTPS", False)
    FORCE_HTTPS = SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = HTTPS
    WEBHOOK_ALLOW_LOCAL = env_bool("WEBHOOK_ALLOW_LOCAL", True)


class TestConfig(Config):
    """Test settings: a throwaway database the fixtures create, fast password hashing."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MATCHING_WARM_ON_START = False
    MATCHING_BUILD_WAIT = 120.0
    MATCHING_SAVE_DELAY = 0.0
    PASSWORD_METHOD = "pbkdf2:sha256:1000"
    MAIL_BACKEND = "file"
    MAIL_SUPPRESS_SEND = True
    RATELIMIT_STORAGE_URI = "memory://"
    HTTPS = FORCE_HTTPS = SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = False
    PROXY_COUNT = 0
    JOBS_IMMEDIATE = True
    HOME_COUNTS_SECONDS = 0  # counted on every request: tests create records and read the counts at once
    WEBHOOK_ALLOW_LOCAL = True


CONFIGS = {"production": Config, "development": DevConfig, "testing": TestConfig}
