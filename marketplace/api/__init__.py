"""JSON API v1: every registered kind (`marketplace.kinds`), search, and the writes integrations need, described
by an OpenAPI 3.1 document generated from the views' declarations (`marketplace.api.spec`); API tokens."""
from flask import Blueprint

from marketplace.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # CSRF is checked by `auth.authenticate` for session calls; token calls carry no cookie

from marketplace.api import auth, errors  # noqa: E402

auth.install(bp)
errors.install(bp)

from marketplace.api import (  # noqa: E402,F401
    deals,
    deals_agreements,
    docs,
    imports,
    listings,
    payments,
    transitions,
    views,
    webhooks,
)
