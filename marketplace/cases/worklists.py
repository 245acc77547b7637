"""The promotion center's queues on the review desk: directory listings whose review date has passed."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.cases.models import DirectoryDecision
from marketplace.catalog.models import ProviderProfile
from marketplace.main.worklists import capped_count, worklist


@worklist("directory_reviews", label=_l("Directory reviews due"),
          description=_l("Providers in the quality directory whose review date has passed: renew or remove them."),
          endpoint="cases.directory", permission="directory.manage", order=80)
def directory_reviews_due(user, cap: int) -> int:
    """Count listed providers whose latest directory decision's review date has passed."""
    latest = (select(func.max(DirectoryDecision.id)).where(DirectoryDecision.provider_id == ProviderProfile.id)
              .correlate(ProviderProfile).scalar_subquery())
    stmt = (select(ProviderProfile.id).join(DirectoryDecision, DirectoryDecision.id == latest)
            .where(ProviderProfile.quality_listed.is_(True), DirectoryDecision.review_on < date.today()))
    return capped_count(stmt, cap)
