"""Orders: model-supermarket purchases with 模型券 deductions, and the voucher ledger."""
from flask import Blueprint

bp = Blueprint("orders", __name__)

from marketplace.orders import views  # noqa: E402,F401
