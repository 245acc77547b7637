"""Cases: promotion centers curate showcase cases (典型案例) and the quality provider directory (优质服务商目录)."""
from flask import Blueprint

bp = Blueprint("cases", __name__)

from marketplace.cases import directory_views, views  # noqa: E402,F401
