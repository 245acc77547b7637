"""Moderation: reports, the moderation queue, moderators' decisions with reasons and history, pre-/post-moderation
of unverified organisations' new items per region, and automatic flags for repetitive or overlong text."""
from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

from marketplace.moderation import views  # noqa: E402,F401
