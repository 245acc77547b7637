"""Notifications: the in-site inbox, e-mail copies, daily digests of matching needs and saved searches."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from marketplace.notifications import views  # noqa: E402,F401
