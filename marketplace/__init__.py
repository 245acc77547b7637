"""The 模数共振 marketplace Flask application: create_app() reads like a table of contents."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from marketplace.config import CONFIGS, ROOT


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the marketplace application."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    configure_settings(app, test_config)
    configure_extensions(app)
    configure_request_guards(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, test_config: dict | None) -> None:
    """Load the config class for MARKETPLACE_ENV, then the test overrides."""
    name = "testing" if test_config is not None else os.environ.get("MARKETPLACE_ENV", "production")
    app.config.from_object(CONFIGS[name])
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("MARKETPLACE_SECRET_KEY must be set outside development and tests")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise RuntimeError("DATABASE_URL must be set in production")
    app.instance_path = app.config["INSTANCE_PATH"]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def configure_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate
    from marketplace.i18n import select_locale

    db.init_app(app)
    from marketplace.locks import install as install_locks

    install_locks(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from marketplace.security import install as install_security

    install_security(app)
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    from marketplace.matching.engine import install as install_matching
    from marketplace.orders.models import VoucherEntry
    from marketplace.policy import models as _policy  # noqa: F401 - policy_instrument belongs to the metadata
    from marketplace.resonance.models import LedgerEntry, guard_append_only
    from marketplace.uploads import models as _uploads  # noqa: F401 - stored_file belongs to the metadata
    from marketplace.vouchers import models as _quotas  # noqa: F401 - quota_application belongs to the metadata

    guard_append_only(LedgerEntry, VoucherEntry)
    from marketplace.audit.models import install_guard as guard_audit_log

    guard_audit_log()

    install_matching(app)
    from marketplace.notifications.mail import install as install_mail

    install_mail(app)
    from marketplace.jobs import install as install_jobs

    install_jobs(app)
    from marketplace.commit_effects import install as install_commit_effects

    install_commit_effects(app)


def configure_request_guards(app: Flask) -> None:
    """Before any route exists: ids only as large as a database integer, no NUL bytes or invalid UTF-8."""
    from marketplace.converters import install as install_converters
    from marketplace.web import refuse_hostile_input

    install_converters(app.url_map)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)


def configure_blueprints(app: Flask) -> None:
    """Register one blueprint per feature."""
    from marketplace.accounts import bp as accounts_bp
    from marketplace.analytics import bp as analytics_bp
    from marketplace.api import bp as api_bp
    from marketplace.audit import bp as audit_bp
    from marketplace.cases import bp as cases_bp
    from marketplace.catalog import bp as catalog_bp
    from marketplace.compare import bp as compare_bp
    from marketplace.datasets import bp as datasets_bp
    from marketplace.diagnosis import bp as diagnosis_bp
    from marketplace.events import bp as events_bp
    from marketplace.experts import bp as experts_bp
    from marketplace.imports import bp as imports_bp
    from marketplace.leads import bp as leads_bp
    from marketplace.main import bp as main_bp
    from marketplace.matching import bp as matching_bp
    from marketplace.moderation import bp as moderation_bp
    from marketplace.needs import bp as needs_bp
    from marketplace.notifications import bp as notifications_bp
    from marketplace.orders import bp as orders_bp
    from marketplace.policy import bp as policy_bp
    from marketplace.proposals import bp as proposals_bp
    from marketplace.redemptions import bp as redemptions_bp
    from marketplace.resonance import bp as resonance_bp
    from marketplace.reviews import bp as reviews_bp
    from marketplace.trust import bp as trust_bp
    from marketplace.uploads import bp as uploads_bp
    from marketplace.vouchers import bp as vouchers_bp
    from marketplace.webhooks import bp as webhooks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(accounts_bp, url_prefix="/accounts")
    app.register_blueprint(catalog_bp)
    app.register_blueprint(compare_bp)
    app.register_blueprint(needs_bp, url_prefix="/needs")
    app.register_blueprint(cases_bp, url_prefix="/cases")
    app.register_blueprint(events_bp, url_prefix="/events")
    app.register_blueprint(experts_bp, url_prefix="/experts")
    app.register_blueprint(diagnosis_bp, url_prefix="/diagnosis")
    app.register_blueprint(datasets_bp, url_prefix="/datasets")
    app.register_blueprint(analytics_bp, url_prefix="/analytics")
    app.register_blueprint(matching_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(vouchers_bp)
    app.register_blueprint(policy_bp, url_prefix="/policy")
    app.register_blueprint(resonance_bp, url_prefix="/resonance")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(proposals_bp, url_prefix="/proposals")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(reviews_bp, url_prefix="/reviews")
    app.register_blueprint(redemptions_bp)
    app.register_blueprint(trust_bp, url_prefix="/trust")
    app.register_blueprint(audit_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(webhooks_bp, url_prefix="/webhooks")
    app.register_blueprint(imports_bp)
    app.register_blueprint(leads_bp)
    app.register_blueprint(uploads_bp)


def configure_templates(app: Flask) -> None:
    """Install template filters and globals (vocabulary labels, money, states)."""
    from marketplace.moderation.views import install_template_helpers
    from marketplace.templating import install

    install(app)
    install_template_helpers(app)


def configure_errors(app: Flask) -> None:
    """Render 403/404/500 pages in the user's language, JSON under /api."""
    from marketplace.errors import install

    install(app)


def configure_cli(app: Flask) -> None:
    """Add the flask commands (seed, ...)."""
    from marketplace.cli import install

    install(app)
