"""Bulk import of a vendor's models or offerings from a CSV or XLSX file, run as a background job with a report."""
from flask import Blueprint

bp = Blueprint("imports", __name__)

from marketplace.imports import views  # noqa: E402,F401
