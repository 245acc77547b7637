"""Experts: the 专家人才库 promotion centers keep, and SMEs' requests for a diagnosis or a consultation."""
from flask import Blueprint

bp = Blueprint("experts", __name__)

from marketplace.experts import views, worklists  # noqa: E402,F401
