"""Accounts: organisations, users, registration, sign-in and roles."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from marketplace.accounts import api_tokens, views  # noqa: E402,F401
