"""Claims: a unit of scheduled work is done once per key, however many workers try (see `JobClaim`)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import db
from marketplace.jobs.models import JobClaim


def is_claimed(key: str) -> bool:
    """Tell whether the work of a key is already done (committed by some worker)."""
    return db.session.scalar(select(JobClaim.key).where(JobClaim.key == key)) is not None


def claim(key: str) -> bool:
    """Claim a key in the current transaction; False if another worker holds it (the transaction is then rolled
    back: claim before writing the work, and commit the claim with the work)."""
    db.session.add(JobClaim(key=key, created_at=datetime.now(UTC)))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def prune_claims(days: int) -> int:
    """Delete claims older than `days` days (their period is long past); return how many."""
    result = db.session.execute(delete(JobClaim).where(JobClaim.created_at < datetime.now(UTC) - timedelta(days=days)))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
