"""Industrial datasets (工业数据集): the data half of 模数共振, listed by their owners, found by search, used only
with the owner's grant (the data itself never passes through the site)."""
from flask import Blueprint

bp = Blueprint("datasets", __name__)

from marketplace.datasets import views  # noqa: E402,F401
