"""Model comparison and the evaluation leaderboard (工业模型评测体系): a compare tray of two to four models (kept
on the server, named in the session), their cards side by side with evaluation rows aligned by dataset and metric,
and per scenario the attested results on shared datasets ranked in each metric's direction."""
from flask import Blueprint

bp = Blueprint("compare", __name__)

from marketplace.compare import views  # noqa: E402,F401
