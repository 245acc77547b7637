"""Passwords: hashing, the strength policy (zxcvbn), constant-time checks and signed reset tokens."""
from __future__ import annotations

import hashlib
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

# zxcvbn's English warnings, by a phrase they contain, and the reason shown in the user's language.
WARNING_REASONS = (
    ("top-10 common", _l("This is one of the most common passwords.")),
    ("top-100 common", _l("This is one of the most common passwords.")),
    ("very common", _l("This is a very common password.")),
    ("similar to a commonly used", _l("This is too similar to a commonly used password.")),
    ("repeats", _l("Repeated characters or words like “aaa” or “abcabc” are easy to guess.")),
    ("sequences", _l("Sequences like “abc” or “6543” are easy to guess.")),
    ("keyboard", _l("Keyboard patterns like “qwerty” are easy to guess.")),
    ("rows of keys", _l("Keyboard patterns like “qwerty” are easy to guess.")),
    ("recent years", _l("Years and dates are easy to guess.")),
    ("dates", _l("Years and dates are easy to guess.")),
    ("word by itself", _l("A single word is easy to guess.")),
    ("names and surnames", _l("Names are easy to guess.")),
    ("common names", _l("Names are easy to guess.")),
)
TOO_GUESSABLE = _l("This password is too easy to guess. Use a longer phrase of several unrelated words.")
MAX_CHECKED_LENGTH = 72  # zxcvbn refuses longer input; the rest of a long password only adds strength


def hash_password(password: str) -> str:
    """Hash a password with the configured algorithm (scrypt by default)."""
    method = current_app.config.get("PASSWORD_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


@lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """Return a hash to check against when no account matches, so both paths cost the same."""
    return generate_password_hash("no account has this password", method=method)


def check_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash, or against a dummy hash when there is none (equal timing)."""
    if password_hash is None:
        check_password_hash(dummy_hash(current_app.config.get("PASSWORD_METHOD", "scrypt")), password)
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str, user_inputs=()) -> str | None:
    """Return why a password is refused, in the user's language, or None when it is strong enough."""
    config = current_app.config
    minimum = config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        return str(_l("Use at least %(n)s characters.", n=minimum))
    words = []
    for value in user_inputs:
        if value:
            words += [value.lower()[:MAX_CHECKED_LENGTH], value.lower().split("@")[0][:MAX_CHECKED_LENGTH]]
    result = zxcvbn(password[:MAX_CHECKED_LENGTH], user_inputs=words)
    if result["score"] >= config["PASSWORD_MIN_SCORE"]:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        return f"{_l('Do not build the password from your name, e-mail or organisation.')} {TOO_GUESSABLE}"
    warning = (result["feedback"].get("warning") or "").lower()
    for phrase, reason in WARNING_REASONS:
        if phrase in warning:
            return f"{reason} {TOO_GUESSABLE}"
    return str(TOO_GUESSABLE)


def reset_serializer() -> URLSafeTimedSerializer:
    """Return the serializer that signs password-reset tokens with the app's secret."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def password_fingerprint(password_hash: str) -> str:
    """Return a short digest of a password hash: a reset token dies when the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def make_reset_token(user) -> str:
    """Return a signed, expiring token that resets this user's current password once."""
    return reset_serializer().dumps({"u": user.id, "p": password_fingerprint(user.password_hash)})


def read_reset_token(token: str, max_age: int) -> tuple[int, str] | None:
    """Return (user id, password fingerprint) from a valid, unexpired token, else None."""
    try:
        data = reset_serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), str):
        return None
    return data["u"], data["p"]
