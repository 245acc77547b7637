"""Account services: registering organisations, checking passwords, loading users."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.models import Organisation, OrgKind, User
from marketplace.extensions import db


class DuplicateAccount(ValueError):
    """Raised when an e-mail or credit code is already registered; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        """Remember which form field the duplicate belongs to."""
        super().__init__(message)
        self.field = field


def hash_password(password: str) -> str:
    """Hash a password with the configured algorithm (scrypt by default)."""
    method = current_app.config.get("PASSWORD_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def load_user(user_id: str) -> User | None:
    """Return the user for flask-login's session id."""
    return db.session.get(User, int(user_id)) if str(user_id).isdigit() else None


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose e-mail and password match, else None."""
    user = find_user_by_email(email)
    if user is None or not user.is_active or not check_password_hash(user.password_hash, password):
        return None
    return user


def register_organisation(*, kind: str, org_name: str, credit_code: str, city: str, industry: str | None,
                          size: str | None, digital_level: int | None, name: str, email: str,
                          password: str, contact_phone: str | None = None, is_admin: bool = False,
                          summary: str | None = None) -> User:
    """Create an organisation with its first user; the caller commits."""
    if kind not in {k.value for k in OrgKind}:
        raise ValueError(f"unknown organisation kind {kind!r}")
    from flask_babel import gettext as _

    if find_user_by_email(email):
        raise DuplicateAccount("email", _("An account with this e-mail already exists."))
    if db.session.scalar(select(Organisation).where(Organisation.credit_code == credit_code.upper())):
        raise DuplicateAccount("credit_code", _("An organisation with this credit code is already registered."))
    org = Organisation(kind=kind, name=org_name, credit_code=credit_code.upper(), city=city,
                       industry=industry or None, size=size or None,
                       digital_level=int(digital_level) if digital_level else None,
                       contact_name=name, phone=contact_phone, summary=summary)
    user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password),
                organisation=org, is_admin=is_admin)
    db.session.add_all([org, user])
    db.session.flush()
    return user


def update_organisation(org: Organisation, **fields) -> Organisation:
    """Change an organisation's editable details; the caller commits."""
    for key in ("name", "city", "industry", "size", "contact_name", "phone"):
        if key in fields:
            setattr(org, key, fields[key] or None if key not in ("name", "city") else fields[key])
    if "digital_level" in fields:
        org.digital_level = int(fields["digital_level"]) if fields["digital_level"] else None
    return org


def set_user_active(user: User, active: bool) -> User:
    """Activate or deactivate an account (admin moderation); the caller commits."""
    user.is_active_flag = active
    return user


def list_accounts(kind: str | None = None) -> list[User]:
    """Return users with their organisations for the admin list, newest first."""
    stmt = select(User).join(User.organisation).order_by(User.id.desc())
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    return list(db.session.scalars(stmt))
