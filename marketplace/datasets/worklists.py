"""The owner's queue on the review desk: access requests to its datasets waiting for an answer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.datasets.selectors import waiting_requests
from marketplace.main.worklists import capped_count, worklist


@worklist("dataset_access", label=_l("Requests to use your data"),
          description=_l("Organisations asking to use one of your datasets: grant with conditions, or refuse with "
                         "a reason."),
          endpoint="datasets.requests", permission="dataset.create", order=87)
def access_requests_waiting(user, cap: int) -> int:
    """Count the access requests to the organisation's datasets that wait for its answer."""
    return capped_count(waiting_requests(user.organisation_id), cap)
