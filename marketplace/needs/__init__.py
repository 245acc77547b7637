"""Needs: SME scenario needs, their posting, editing, status and browsing."""
from flask import Blueprint

bp = Blueprint("needs", __name__)

from marketplace.needs import views  # noqa: E402,F401
