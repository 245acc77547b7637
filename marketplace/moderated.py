"""The moderation column every reportable record carries, and what its values mean.

A record's `moderation` is orthogonal to its own state (a need stays "open", a listing "published"): it says
whether moderators let the public see it. Only `visible` records are public; `held` ones wait for a
moderator's approval (pre-moderation), `hidden` ones were hidden by a moderator, `rejected` ones were held and
refused. The feature selectors (`needs.selectors`, `catalog.selectors`, `cases.selectors`) fold `shown()` into
their one definition of live/public, so every list, search, the home page, leads, digests, the API and the
analytics counts drop such a record at once. The moderation process (`marketplace.moderation.process`) is the
only code that changes the column.
"""
from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


class ModerationState(str, enum.Enum):
    """Whether moderators let the public see a record."""

    VISIBLE = "visible"
    HELD = "held"
    HIDDEN = "hidden"
    REJECTED = "rejected"


VISIBLE = ModerationState.VISIBLE.value


class Moderated:
    """Mixin: the `moderation` column (visible by default) and the test for it."""

    # The database fills it in (no Python default), so an INSERT names it only when moderation set it: a record
    # written at an older revision (the migration tests) or one not flushed yet reads None, which is visible.
    moderation: Mapped[str] = mapped_column(String(10), server_default=VISIBLE)
    __mapper_args__ = {"eager_defaults": False}  # not read back with RETURNING: loaded when first read

    @property
    def is_shown(self) -> bool:
        """Tell whether moderators let the public see this record."""
        return self.moderation in (VISIBLE, None)


def shown(model):
    """SQL condition: moderators let the public see the record."""
    return model.moderation == VISIBLE
