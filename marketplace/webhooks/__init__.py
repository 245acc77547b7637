"""Webhooks: an organisation's HTTPS endpoints, the signed deliveries of the events that concern it, and their
attempts (see `services.py` for the rules, `events.py` for what is announced, `delivery.py` for the worker)."""
from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from marketplace.webhooks import views  # noqa: E402,F401
