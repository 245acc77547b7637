"""The promotion center's queue on the review desk: requests to its experts waiting for an answer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.experts.selectors import waiting_requests
from marketplace.main.worklists import capped_count, worklist


@worklist("expert_requests", label=_l("Requests to your experts"),
          description=_l("Enterprises asking one of your experts for a diagnosis or a consultation: accept and "
                         "schedule, or decline with a reason."),
          endpoint="experts.requests", permission="expert.keep", order=85)
def expert_requests_waiting(user, cap: int) -> int:
    """Count the requests to the center's experts that wait for its answer."""
    return capped_count(waiting_requests(user.organisation_id), cap)
