"""The 模型券 service catalogue per region, redemption (核销) of voucher-paid orders, and the reimbursement report."""
from flask import Blueprint

bp = Blueprint("redemptions", __name__)

from marketplace.redemptions import views  # noqa: E402,F401
