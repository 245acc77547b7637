"""The one owner of "the level that counts" for an enterprise, and of how that level is said.

The order: a level a promotion center confirmed after a diagnosis visit (the newest confirmation) — else the
newest self-assessment — else the level the enterprise declared when it registered (`Organisation.digital_level`,
kept as the declaration it is) — else none. Pages show `effective_level`; rules with a minimum 数字化水平 (the
SME AI-project support) read `rule_level`, which is the confirmed level only: the Zhuhai support is for
enterprises 达到数字化水平二级以上, and MIIT has pilot-city enterprise levels assessed on site (现场评定), so a
level nobody has checked does not open a subsidy. The 模型券 has no minimum level, so this changes nothing there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from marketplace.accounts.models import Organisation
from marketplace.diagnosis.models import Assessment, DiagnosisVisit, VisitState
from marketplace.extensions import db
from marketplace.templating import term_label

CONFIRMED, SELF_ASSESSED, DECLARED, NONE = "confirmed", "self_assessed", "declared", "none"


@dataclass(frozen=True)
class LevelStanding:
    """An enterprise's level that counts, on what basis, by whom and when; and its newest self-assessment."""

    level: int | None
    basis: str
    center: str | None = None
    on: date | None = None
    assessed_level: int | None = None
    assessed_on: date | None = None

    @property
    def confirmed(self) -> bool:
        """Tell whether a promotion center confirmed the level."""
        return self.basis == CONFIRMED

    @property
    def rule_level(self) -> int | None:
        """The level rules with a minimum 数字化水平 accept: the confirmed one only."""
        return self.level if self.confirmed else None

    def describe(self) -> str:
        """Say the level and its basis in a sentence fragment ("confirmed level 2 (center, date)")."""
        if self.level is None:
            return _("no digital level yet")
        level = level_label(self.level)
        if self.basis == CONFIRMED:
            return _("%(level)s, confirmed (%(center)s, %(date)s)", level=level, center=self.center,
                     date=self.on.isoformat() if self.on else "—")
        if self.basis == SELF_ASSESSED:
            return _("%(level)s, self-assessed (%(date)s), not yet confirmed by a promotion center", level=level,
                     date=self.on.isoformat() if self.on else "—")
        return _("%(level)s, declared at registration, not assessed", level=level)

    def basis_label(self) -> str:
        """Name the basis alone: confirmed / self-assessed / declared / none."""
        return {CONFIRMED: _("Confirmed by a center"), SELF_ASSESSED: _("Self-assessed"), DECLARED: _("Declared"),
                NONE: _("None")}[self.basis]


def level_label(level: int | None) -> str:
    """Name a level in the current language (0: below level 1)."""
    if level is None:
        return "—"
    if level == 0:
        return _("Below level 1")
    return term_label(str(level), "level")


def as_date(moment: datetime | None) -> date | None:
    """Return the calendar day of a stored time."""
    return moment.date() if moment else None


def effective_levels(orgs: list[Organisation]) -> dict[int, LevelStanding]:
    """Return the level that counts for each organisation (two queries, whatever the number)."""
    ids = [o.id for o in orgs]
    confirmed: dict[int, DiagnosisVisit] = {}
    assessed: dict[int, Assessment] = {}
    if ids:
        for visit in db.session.scalars(select(DiagnosisVisit).where(
                DiagnosisVisit.organisation_id.in_(ids), DiagnosisVisit.state == VisitState.CONFIRMED.value)
                .order_by(DiagnosisVisit.confirmed_at, DiagnosisVisit.id)):
            confirmed[visit.organisation_id] = visit
        for assessment in db.session.scalars(select(Assessment).where(Assessment.organisation_id.in_(ids))
                                             .order_by(Assessment.taken_at, Assessment.id)):
            assessed[assessment.organisation_id] = assessment
    out: dict[int, LevelStanding] = {}
    for org in orgs:
        last = assessed.get(org.id)
        mine = (last.level, as_date(last.taken_at)) if last else (None, None)
        seen = confirmed.get(org.id)
        if seen is not None:
            out[org.id] = LevelStanding(seen.level, CONFIRMED, seen.center.name, as_date(seen.confirmed_at), *mine)
        elif last is not None:
            out[org.id] = LevelStanding(last.level, SELF_ASSESSED, None, mine[1], *mine)
        elif org.digital_level:
            out[org.id] = LevelStanding(org.digital_level, DECLARED)
        else:
            out[org.id] = LevelStanding(None, NONE)
    return out


def effective_level(org: Organisation) -> LevelStanding:
    """Return the level that counts for one organisation and its basis."""
    return effective_levels([org])[org.id]


def rule_level(org: Organisation) -> int | None:
    """Return the level rules with a minimum 数字化水平 read: the confirmed level, else None."""
    return effective_level(org).rule_level
