"""模型券 quotas: an SME's yearly quota application and the center's decision, the voucher position every
page reads (`services.voucher_standing`), the ledger with its running balance and CSV export, and a
contracted proposal turned into an order."""
from flask import Blueprint

bp = Blueprint("vouchers", __name__)

from marketplace.vouchers import views  # noqa: E402,F401
