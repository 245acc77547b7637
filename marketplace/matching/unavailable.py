"""What search answers while the index is being built: one handler for pages, htmx fragments and the API.

The engine raises `IndexNotReady` instead of building the index inside a request; this turns it into a
503 with Retry-After and a message in the user's language. The rest of the site is unaffected.
"""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from marketplace.errors import wants_json
from marketplace.matching.engine import IndexNotReady

RETRY_AFTER_SECONDS = 60


def index_building(exc: IndexNotReady):
    """Answer a request that needs the search index while it is being built: 503, Retry-After, a clear message."""
    message = _("The search index is being built. Please try again in a few minutes.")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if wants_json():
        return jsonify(error={"code": "index_building", "message": message, "fields": {}}), 503, headers
    if request.headers.get("HX-Request"):
        return render_template("matching/_index_building.html", message=message), 503, headers
    if request.endpoint == "matching.search_page":
        from marketplace.matching.browse import CardRatings
        from marketplace.matching.services import Results
        from marketplace.matching.views import filter_form
        from marketplace.web import paginate_list

        form = filter_form()
        return render_template("matching/search.html", form=form, results=Results([]), page=paginate_list([]),
                               tab=form.kind.data or "", query=form.q.data or "", building=message,
                               ratings=CardRatings([])), 503, headers
    return render_template("errors/error.html", status=503, message=message), 503, headers
