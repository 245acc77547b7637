"""Locale selection: zh-CN first, English on request, remembered in the session."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


def select_locale() -> str:
    """Pick the UI language: an explicit ?lang=, an API call's Accept-Language, the session, the user's setting,
    else zh_CN."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked is not None and asked in languages:
        return asked
    if request.path.startswith("/api/") and request.accept_languages:
        best = request.accept_languages.best_match([code.replace("_", "-") for code in languages])
        if best:
            return best.replace("-", "_")
    chosen = session.get("lang")
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
