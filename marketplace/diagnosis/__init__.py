"""Diagnosis: the digital-level self-assessment, diagnosis visits and the enterprise files (建档立卡)."""
from flask import Blueprint

bp = Blueprint("diagnosis", __name__)

from marketplace.diagnosis import views, worklists  # noqa: E402,F401
