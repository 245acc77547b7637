"""Does a production start refuse to run with missing pieces, naming every one of them at once?"""
from __future__ import annotations

import pytest

from marketplace.config_check import ConfigurationError, problems, require_production_ready

READY = {"SECRET_KEY": "k" * 48, "JOBS_URL": "redis://redis:6379/1", "JOBS_IMMEDIATE": False,
         "RATELIMIT_STORAGE_URI": "redis://redis:6379/0", "MAIL_BACKEND": "smtp", "MAIL_SERVER": "smtp.example.cn",
         "SITE_URL": "https://moshu.example.cn", "MATCHING_STORE": "postgres", "WEBHOOK_ALLOW_LOCAL": False}


def test_the_embedded_defaults_miss_every_production_piece(app):
    """SQLite, no Redis, the file mail backend, a weak secret, no site URL, no built index: all listed."""
    app.config.update(SECRET_KEY="dev-only-not-for-production", JOBS_URL=None, RATELIMIT_STORAGE_URI="memory://",
                      MAIL_BACKEND="file", MAIL_SERVER="localhost", SITE_URL="",
                      SQLALCHEMY_DATABASE_URI="sqlite:///instance/marketplace.sqlite")
    found = "\n".join(problems(app))
    for name in ("MARKETPLACE_SECRET_KEY", "DATABASE_URL", "MARKETPLACE_JOBS_URL", "MARKETPLACE_JOBS_IMMEDIATE",
                 "MARKETPLACE_RATELIMIT_STORAGE_URI", "MARKETPLACE_MAIL_BACKEND", "MARKETPLACE_MAIL_SERVER",
                 "MARKETPLACE_SITE_URL", "MARKETPLACE_MATCHING_STORE", "MARKETPLACE_WEBHOOK_ALLOW_LOCAL",
                 "flask reindex"):
        assert name in found, name


def test_a_complete_configuration_leaves_only_what_the_database_and_index_say(app):
    """With every setting given, the settings raise nothing (on the SQLite test database, that one remains)."""
    app.config.update(READY)
    found = problems(app, index=False)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert found == []
    else:
        assert len(found) == 1 and "PostgreSQL" in found[0]


def test_the_refusal_is_one_message_listing_everything(app):
    """The production start refuses with one error naming each missing piece on its own line."""
    app.config.update(SECRET_KEY="short", MAIL_BACKEND="file")
    with pytest.raises(ConfigurationError) as refused:
        require_production_ready(app)
    message = str(refused.value)
    assert message.startswith("Production start refused") and message.count("\n- ") == len(problems(app))


def test_the_config_check_command_prints_the_same_list_and_fails(app, runner):
    """`flask config-check` prints each missing piece and exits non-zero."""
    result = runner.invoke(args=["config-check"])
    assert result.exit_code == 1 and all(p in result.output for p in problems(app))
