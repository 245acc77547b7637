"""Trust: verified organisations (business licence, review by the city's promotion center, revocation) and
attested evaluation results; what an unverified organisation may do is `trust.permissions`."""
from flask import Blueprint

bp = Blueprint("trust", __name__)

from marketplace.trust import views  # noqa: E402,F401


@bp.app_template_global()
def trust_panel():
    """The dashboard's trust block for the signed-in user (`trust.services.trust_panel`)."""
    from flask_login import current_user

    from marketplace.trust.services import trust_panel as panel_for

    return panel_for(current_user)
