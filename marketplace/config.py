"""Configuration: every key falls back to a MARKETPLACE_-prefixed environment variable.

`Config` is the production shape (a secret key must come from the environment), `DevConfig` is the
embedded default used by `make run`, and `TestConfig` is what the test suite starts from.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read MARKETPLACE_<NAME> from the environment, falling back to a default."""
    return os.environ.get(f"MARKETPLACE_{name}", default)


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
    PAGE_SIZE = int(env("PAGE_SIZE", "12"))
    # Rate limits are shared by every worker only through a shared store: Redis in production.
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_ACCOUNT_LIMIT = env("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes")
    REGISTER_RATE_LIMIT = env("REGISTER_RATE_LIMIT", "10 per hour")
    PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", "5 per hour")
    PASSWORD_RESET_ACCOUNT_LIMIT = env("PASSWORD_RESET_ACCOUNT_LIMIT", "3 per hour")
    PASSWORD_RESET_MAX_AGE = int(env("PASSWORD_RESET_MAX_AGE", "3600"))
    PASSWORD_MIN_LENGTH = int(env("PASSWORD_MIN_LENGTH", "10"))
    PASSWORD_MIN_SCORE = int(env("PASSWORD_MIN_SCORE", "2"))
    PROXY_COUNT = int(env("PROXY_COUNT", "0"))
    HTTPS = env("HTTPS", "1") == "1"
    FORCE_HTTPS = HTTPS
    HSTS_MAX_AGE = int(env("HSTS_MAX_AGE", str(365 * 24 * 3600)))
    WTF_CSRF_TIME_LIMIT = int(env("CSRF_TIME_LIMIT", str(4 * 3600)))
    SESSION_COOKIE_SECURE = HTTPS
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_DAYS = int(env("REMEMBER_DAYS", "30"))
    REMEMBER_TOKEN_COOKIE = "moshu_remember"
    REMEMBER_COOKIE_DURATION = timedelta(days=REMEMBER_DAYS)
    REMEMBER_COOKIE_SECURE = HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MATCHING_BACKEND = env("MATCHING_BACKEND", "e5")
    MATCHING_MODEL_PATH = env("MATCHING_MODEL_PATH")
    MATCHING_INDEX_DIR = env("MATCHING_INDEX_DIR")
    MATCHING_THREADS = env("MATCHING_THREADS")
    MATCHING_SYNC_LIMIT = int(env("MATCHING_SYNC_LIMIT", "20"))
    MATCHING_CATCH_UP_LIMIT = int(env("MATCHING_CATCH_UP_LIMIT", "20"))
    MATCHING_BUILD_WAIT = float(env("MATCHING_BUILD_WAIT", "0"))
    MATCHING_RELOAD_INTERVAL = float(env("MATCHING_RELOAD_INTERVAL", "1.0"))
    MATCHING_HNSW_THRESHOLD = int(env("MATCHING_HNSW_THRESHOLD", "50000"))
    MATCHING_MIN_SCORE = float(env("MATCHING_MIN_SCORE", "0.0"))
    MATCHING_WARM_ON_START = env("MATCHING_WARM_ON_START", "1") == "1"
    MATCHING_SAVE_DELAY = float(env("MATCHING_SAVE_DELAY", "1.0"))
    ANALYTICS_MATCHED_SIMILARITY = float(env("ANALYTICS_MATCHED_SIMILARITY", "0.90"))
    ANALYTICS_GOOD_SEARCH_SIMILARITY = float(env("ANALYTICS_GOOD_SEARCH_SIMILARITY", "0.88"))
    ANALYTICS_SEARCH_QUERIES_PER_DAY = int(env("ANALYTICS_SEARCH_QUERIES_PER_DAY", "2000"))
    SEARCH_RATE_LIMIT = env("SEARCH_RATE_LIMIT", "60 per minute;2000 per day")
    PDF_RATE_LIMIT = env("PDF_RATE_LIMIT", "6 per minute;60 per day")
    MATCHING_ENCODE_MAX_CHARS = int(env("MATCHING_ENCODE_MAX_CHARS", "1000"))
    SAVED_SEARCH_LIMIT = int(env("SAVED_SEARCH_LIMIT", "20"))
    NEED_STALE_GRACE_DAYS = int(env("NEED_STALE_GRACE_DAYS", "14"))
    NEED_ALERT_SIMILARITY = float(env("NEED_ALERT_SIMILARITY", "0.88"))
    NEED_ALERT_WINDOW_DAYS = int(env("NEED_ALERT_WINDOW_DAYS", "7"))
    SITE_URL = env("SITE_URL", "")
    PG_BIN = env("PG_BIN")
    BACKUP_DIR = env("BACKUP_DIR")
    MAIL_BACKEND = env("MAIL_BACKEND", "smtp")
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = int(env("MAIL_PORT", "25"))
    MAIL_USE_TLS = env("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = env("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env("MAIL_DEFAULT_SENDER", "noreply@moshu.example.cn")


class DevConfig(Config):
    """The embedded default: SQLite in the instance folder and a development secret."""

    SECRET_KEY = env("SECRET_KEY", "dev-only-not-for-production")
    SQLALCHEMY_DATABASE_URI = Config.SQLALCHEMY_DATABASE_URI or (
        "sqlite:///" + str(Path(Config.INSTANCE_PATH) / "marketplace.sqlite")
    )
    MAIL_BACKEND = env("MAIL_BACKEND", "file")
    MAIL_SUPPRESS_SEND = True
    HTTPS = env("HTTPS", "0") == "1"
    FORCE_HTTPS = SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = HTTPS


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


CONFIGS = {"production": Config, "development": DevConfig, "testing": TestConfig}
