"""The moderation queue on the review desk: reported, flagged and held items of the moderator's region."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.main.worklists import capped_count, worklist
from marketplace.moderation.services import queue_select


@worklist("moderation", label=_l("Moderation queue"),
          description=_l("Reported items, automatic flags and new items of unverified organisations."),
          endpoint="moderation.queue", permission="moderation.queue", order=10)
def items_to_moderate(user, cap: int) -> int:
    """Count the items with open reports (held items among them) in the regions the user moderates."""
    return capped_count(queue_select(user), cap)
