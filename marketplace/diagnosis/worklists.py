"""The promotion center's queue on the review desk: self-assessed levels in its city waiting for a diagnosis."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.diagnosis.selectors import awaiting_confirmation
from marketplace.main.worklists import capped_count, worklist


@worklist("diagnosis_confirmations", label=_l("Levels to confirm"),
          description=_l("Enterprises of your city whose newest self-assessment no diagnosis visit has confirmed "
                         "yet: visit, record the findings and confirm the level."),
          endpoint="diagnosis.files", permission="diagnosis.files", order=88)
def levels_to_confirm(user, cap: int) -> int:
    """Count the enterprises of the user's city (every city for admins) whose level awaits confirmation."""
    city = None if user.is_admin else user.organisation.city
    return capped_count(awaiting_confirmation(city), cap)
