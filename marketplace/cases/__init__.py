"""Cases: the public library of showcase cases (典型案例) curated by promotion centers."""
from flask import Blueprint

bp = Blueprint("cases", __name__)

from marketplace.cases import views  # noqa: E402,F401
