"""Analytics: the transformation map (数智化转型图谱) — supply against demand, the funnel, weak searches."""
from flask import Blueprint

bp = Blueprint("analytics", __name__)

from marketplace.analytics import views  # noqa: E402,F401
