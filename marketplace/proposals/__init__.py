"""Proposals: vendors' proposals for needs, SMEs' invitations, the deal's states and its message thread."""
from flask import Blueprint

bp = Blueprint("proposals", __name__)

from marketplace.proposals import views  # noqa: E402,F401
