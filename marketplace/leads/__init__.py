"""Leads: a vendor's inbox of the live needs its published listings answer, with what the vendor has seen."""
from flask import Blueprint

bp = Blueprint("leads", __name__)

from marketplace.leads import views  # noqa: E402,F401
