"""Reviews: SMEs rate vendors and offerings after a deal, vendors reply once, centers hide abuse with a reason."""
from flask import Blueprint

bp = Blueprint("reviews", __name__)

from marketplace.reviews import views  # noqa: E402,F401
