"""Events: 供需对接 matchmaking events run by promotion centers — registrations, pairings, meetings, outcomes."""
from flask import Blueprint

bp = Blueprint("events", __name__)

from marketplace.events import organiser_views, views  # noqa: E402,F401
