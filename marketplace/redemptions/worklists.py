"""The 模型券 queues on the review desk: catalogue applications and redemptions waiting for the region's center."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.main.worklists import capped_count, worklist
from marketplace.redemptions.catalogue import review_queue
from marketplace.redemptions.models import CatalogueEntry, Redemption
from marketplace.redemptions.services import queue


@worklist("voucher_catalogue", label=_l("模型券 catalogue applications"),
          description=_l("Offerings whose vendors applied for your region's 模型券 service catalogue."),
          endpoint="redemptions.catalogue_queue", permission="catalogue.review", order=40)
def catalogue_applications(user, cap: int) -> int:
    """Count catalogue applications waiting in the regions the user acts for."""
    return capped_count(review_queue(user).with_only_columns(CatalogueEntry.id), cap)


@worklist("redemptions", label=_l("模型券 redemptions"),
          description=_l("Redemptions (核销) vendors submitted with contract, invoice and acceptance form."),
          endpoint="redemptions.index", permission="redemption.queue", order=50)
def redemptions_waiting(user, cap: int) -> int:
    """Count submitted redemptions waiting in the regions the user acts for."""
    return capped_count(queue(user).with_only_columns(Redemption.id), cap)
