"""The 模型券 quota applications on the review desk: those awaiting the region's center (admins: every region)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.main.worklists import capped_count, worklist
from marketplace.vouchers.models import QuotaApplication
from marketplace.vouchers.services import applications_queue


@worklist("quota_applications", label=_l("模型券 quota applications"),
          description=_l("Enterprises of your region applying for a year's 模型券 quota."),
          endpoint="vouchers.queue", permission="quota.review", order=30)
def quota_applications(user, cap: int) -> int:
    """Count the applications awaiting the user's decision."""
    return capped_count(applications_queue(user).with_only_columns(QuotaApplication.id), cap)
