"""Enterprise-file services: take a self-assessment, record a diagnosis visit, keep follow-ups, list a region's
files with their levels and the level distribution. Plain functions; the caller commits once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select

from marketplace.accounts.models import Organisation, User
from marketplace.audit.services import record_audit
from marketplace.diagnosis.indicators import indicator_system
from marketplace.diagnosis.level import LevelStanding, effective_levels, level_label
from marketplace.diagnosis.models import Assessment, DiagnosisVisit, FollowUp
from marketplace.diagnosis.scoring import score
from marketplace.diagnosis.selectors import open_follow_ups
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notifications.services import notify, path_for
from marketplace.permissions import require

MAX_FINDINGS = 4000


def take_assessment(user: User, answers: dict[str, int]) -> Assessment:
    """Score and store a new self-assessment of the user's enterprise (never editing an old one); audited."""
    require(user, "diagnosis.assess", user.organisation)
    result = score(answers)
    assessment = Assessment(organisation_id=user.organisation_id, taken_by_id=user.id,
                            indicator_version=indicator_system().version, answers=dict(answers),
                            dimension_scores=result.dimensions, total_tenths=result.total_tenths, level=result.level)
    db.session.add(assessment)
    db.session.flush()
    record_audit("diagnosis.assessed", user, assessment, {"level": result.level, "total": result.total_tenths})
    return assessment


def latest_assessment(org_id: int) -> Assessment | None:
    """Return an enterprise's newest self-assessment, if any."""
    return db.session.scalar(select(Assessment).where(Assessment.organisation_id == org_id)
                             .order_by(Assessment.taken_at.desc(), Assessment.id.desc()).limit(1))


def record_visit(user: User, org: Organisation, visited_on: date, findings: str, level: int,
                 today: date | None = None) -> DiagnosisVisit:
    """Record a diagnosis visit to an enterprise with the level found; it awaits confirmation. Audited."""
    require(user, "diagnosis.record_visit", org)
    findings = (findings or "").strip()
    if not findings:
        raise DomainError(_("Write down what the visit found."), "findings")
    if level not in (1, 2, 3, 4):
        raise DomainError(_("Choose the level the visit found."), "level")
    if visited_on > (today or date.today()):
        raise DomainError(_("A visit is recorded once it has taken place."), "visited_on")
    latest = latest_assessment(org.id)
    visit = DiagnosisVisit(organisation_id=org.id, center_id=user.organisation_id, recorded_by_id=user.id,
                           assessment_id=latest.id if latest else None, visited_on=visited_on,
                           findings=findings[:MAX_FINDINGS], level=level)
    db.session.add(visit)
    db.session.flush()
    record_audit("diagnosis.visit_recorded", user, visit, {"enterprise": org.name, "level": level})
    return visit


def add_follow_up(user: User, org: Organisation, title: str, due_on: date,
                  visit: DiagnosisVisit | None = None) -> FollowUp:
    """Add a follow-up item with a due date to an enterprise's file; audited."""
    require(user, "diagnosis.follow_up", org)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Say what is to be followed up."), "title")
    item = FollowUp(organisation_id=org.id, center_id=user.organisation_id, created_by_id=user.id,
                    visit_id=visit.id if visit else None, title=title[:200], due_on=due_on)
    db.session.add(item)
    db.session.flush()
    record_audit("diagnosis.follow_up_added", user, item, {"enterprise": org.name, "title": item.title})
    return item


def notify_confirmed(visit: DiagnosisVisit, user) -> None:
    """Tell the enterprise that a promotion center confirmed its level (caller commits)."""
    notify([visit.organisation_id], "diagnosis_level_confirmed",
           {"center": visit.center.name, "level": level_label(visit.level)},
           path_for("diagnosis.mine"), f"diagnosis_visit:{visit.id}:confirmed", user)


@dataclass
class FileRow:
    """One enterprise of a region's files: its level that counts, its last assessment and visit, follow-ups."""

    org: Organisation
    standing: LevelStanding
    last_visit: date | None = None
    open_follow_ups: int = 0
    next_due: date | None = None


@dataclass
class Distribution:
    """How many enterprises are at each level (None: no level), per industry or city."""

    rows: dict[str, Counter] = field(default_factory=dict)

    def add(self, key: str, level: int | None) -> None:
        """Count one enterprise under a key."""
        self.rows.setdefault(key, Counter())[level] += 1

    def table(self) -> list[tuple[str, list[int], int, list[tuple[float, float]]]]:
        """Return (key, counts for no level and levels 0–4, total, bar segments) rows, largest first; a segment is
        (start, width) in percent of the row's total, for the spread drawn beside the numbers."""
        rows = []
        for key, counts in self.rows.items():
            numbers = [counts[None], *(counts[n] for n in range(5))]
            total = sum(numbers)
            starts = [sum(numbers[:i]) for i in range(len(numbers))]
            segments = [(round(100 * start / total, 1), round(100 * n / total, 1))
                        for start, n in zip(starts, numbers, strict=True)]
            rows.append((key, numbers, total, segments))
        return sorted(rows, key=lambda row: (-row[2], row[0]))


def file_rows(orgs: list[Organisation]) -> list[FileRow]:
    """Build the file rows of some enterprises: level standing, last visit, open follow-ups (three queries)."""
    ids = [o.id for o in orgs]
    standings = effective_levels(orgs)
    visits: dict[int, date] = {}
    if ids:
        for org_id, visited in db.session.execute(select(DiagnosisVisit.organisation_id, DiagnosisVisit.visited_on)
                                                  .where(DiagnosisVisit.organisation_id.in_(ids))):
            visits[org_id] = max(visits.get(org_id, visited), visited)
    rows = {o.id: FileRow(o, standings[o.id], visits.get(o.id)) for o in orgs}
    if ids:
        for item in db.session.scalars(open_follow_ups(ids)):
            row = rows[item.organisation_id]
            row.open_follow_ups += 1
            row.next_due = row.next_due or item.due_on
    return [rows[i] for i in ids]


def distributions(enterprises: Select) -> tuple[Distribution, Distribution]:
    """Return the level distribution of a select of enterprises by industry and by city."""
    orgs = list(db.session.scalars(enterprises))
    standings = effective_levels(orgs)
    by_industry, by_city = Distribution(), Distribution()
    for org in orgs:
        level = standings[org.id].level
        by_industry.add(org.industry or "", level)
        by_city.add(org.city, level)
    return by_industry, by_city
