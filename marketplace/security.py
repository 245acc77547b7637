"""Transport and browser security in one place: proxy trust, security headers and the session loaders.

- `MARKETPLACE_PROXY_COUNT` (default 0) is how many reverse proxies sit in front of the app; only then
  are X-Forwarded-For / -Proto believed, so `request.remote_addr` (used by rate limits and the audit
  log) is the client's address and not the proxy's, and never something a client made up.
- Flask-Talisman sends the Content-Security-Policy (no inline scripts or styles), frame-ancestors
  'none' with X-Frame-Options DENY, nosniff, a Referrer-Policy, and HSTS on HTTPS requests; it
  redirects to HTTPS when `MARKETPLACE_HTTPS` is on (production).
- flask-login reads sessions through `accounts.sessions`: revocable per-user tokens and remember-me.
"""
from __future__ import annotations

import logging

from flask import Flask
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("marketplace.security")

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def install(app: Flask) -> None:
    """Trust the configured proxies, send the security headers and install the session loaders."""
    install_proxy_fix(app)
    install_headers(app)
    install_sessions(app)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://") and not (app.debug or app.testing) \
            and app.config.get("RATELIMIT_ENABLED", True):
        log.warning("Rate limits use in-process memory: each worker counts on its own. "
                    "Set MARKETPLACE_RATELIMIT_STORAGE_URI to a Redis URL in production.")


def install_proxy_fix(app: Flask) -> None:
    """Believe X-Forwarded-For and -Proto from exactly PROXY_COUNT proxies (none by default)."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        # Flask's documented way to wrap the app in WSGI middleware replaces this method on the instance.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def install_headers(app: Flask) -> None:
    """Bind Flask-Talisman with the site's policy (one instance per app)."""
    https = bool(app.config.get("HTTPS"))
    app.extensions["talisman"] = Talisman(
        app,
        force_https=bool(app.config.get("FORCE_HTTPS")),
        strict_transport_security=https,
        strict_transport_security_max_age=app.config["HSTS_MAX_AGE"],
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE")),
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy="strict-origin-when-cross-origin",
        x_content_type_options=True,
    )


def install_sessions(app: Flask) -> None:
    """Use revocable session ids and hashed remember-me tokens for flask-login."""
    from marketplace.accounts.sessions import load_user, load_user_from_request, write_remember_cookie
    from marketplace.extensions import login_manager

    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_request)
    app.after_request(write_remember_cookie)
