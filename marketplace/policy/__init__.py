"""Policy: voucher and subsidy rules (data) and their calculators; the subsidy estimator page."""
from flask import Blueprint

bp = Blueprint("policy", __name__)

from marketplace.policy import views  # noqa: E402,F401
