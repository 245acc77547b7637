"""API test helpers: a token for a user, and headers that carry it."""
from __future__ import annotations

import pytest

from marketplace.api.tokens import create_token
from marketplace.extensions import db
from tests.factories import make_user


def issue_token(user, scopes=("read",), name: str = "test") -> str:
    """Create a token for a user (committed) and return its secret."""
    _token, secret = create_token(user, name, list(scopes))
    db.session.commit()
    return secret


def bearer(secret: str, **more: str) -> dict:
    """Headers carrying a token."""
    return {"Authorization": f"Bearer {secret}", **more}


@pytest.fixture
def token_for(app):
    """Make a user of a role with a token of the given scopes; return (user id, secret)."""

    def make(role: str = "vendor", scopes=("read",), **org_fields):
        with app.app_context():
            user = make_user(role, **org_fields)
            return user.id, issue_token(user, scopes)

    return make
