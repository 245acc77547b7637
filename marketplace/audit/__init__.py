"""Audit log: an append-only record of who did what to which record, from which address, and when."""
from flask import Blueprint

bp = Blueprint("audit", __name__)

from marketplace.audit import views  # noqa: E402,F401
