"""Policy instruments in force, by region and year: read from the `policy_instrument` table.

A region is an enterprise's city. A city has rules only when some instrument is configured for it: an
enterprise in a city without rules gets no money anywhere (`region_for` answers None) and the default
region's rules are shown to it only as an example (`example_instruments`), never applied.

`instruments.json` beside this module is the seed and default source: `install_default_instruments` puts
its rows into an empty table (the migration that created the table did the same). Rates are basis points
(3000 = 30%), caps are integer fen, None means "no such limit".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent / "instruments.json"
KINDS = ("model_service", "ai_project", "demonstration_project", "resonance_demo")

Rules = tuple[str, tuple["Instrument", ...]]


@dataclass(frozen=True)
class Instrument:
    """One policy instrument in force in a region for a year."""

    code: str
    region: str
    year: int
    name_zh: str
    name_en: str
    applies_to: tuple[str, ...]
    rate_bp: int | None
    annual_cap_fen: int | None
    item_cap_fen: int | None
    min_digital_level: int | None
    yearly_count_cap: int | None
    basis_zh: str
    basis_en: str

    def name(self, locale: str) -> str:
        """Return the instrument's name in a locale."""
        return self.name_en if str(locale).startswith("en") else self.name_zh

    def basis(self, locale: str) -> str:
        """Return the policy text the rule comes from, in a locale."""
        return self.basis_en if str(locale).startswith("en") else self.basis_zh


@lru_cache(maxsize=4)
def read_rules_file(path: str = str(RULES_FILE)) -> dict:
    """Read the default rules file as it is (default region and instrument templates)."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_rules(path: str = str(RULES_FILE)) -> Rules:
    """Read the rules file: (default region, every instrument expanded per year) — the seed, not the rules in force."""
    data = read_rules_file(path)
    rows = []
    for raw in data["instruments"]:
        for year in raw["years"]:
            rows.append(Instrument(
                code=raw["code"], region=raw["region"], year=int(year), name_zh=raw["name_zh"],
                name_en=raw["name_en"], applies_to=tuple(raw["applies_to"]), rate_bp=raw["rate_bp"],
                annual_cap_fen=raw["annual_cap_fen"], item_cap_fen=raw["item_cap_fen"],
                min_digital_level=raw["min_digital_level"], yearly_count_cap=raw["yearly_count_cap"],
                basis_zh=raw["basis_zh"], basis_en=raw["basis_en"]))
    return data["default_region"], tuple(rows)


def default_region() -> str:
    """The region whose rules are shown as an example to enterprises of cities without rules."""
    return str(read_rules_file()["default_region"])


def templates() -> dict[str, dict]:
    """The instrument templates of the rules file by code (names and what they apply to), for new regions."""
    return {raw["code"]: raw for raw in read_rules_file()["instruments"]}


def current_versions(region: str | None = None) -> list:
    """Return the newest version of every instrument (of one region), in force or not, by region and code."""
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.policy.models import PolicyInstrument as P

    newest = select(P.region, P.code, func.max(P.version).label("version")).group_by(P.region, P.code)
    if region is not None:
        newest = newest.where(P.region == region)
    latest = newest.subquery()
    return list(db.session.scalars(select(P).join(latest, (P.region == latest.c.region) & (P.code == latest.c.code)
                                                  & (P.version == latest.c.version)).order_by(P.region, P.id)))


def expand(row) -> list[Instrument]:
    """Expand one stored version into the instrument for each year it covers."""
    return [Instrument(code=row.code, region=row.region, year=year, name_zh=row.name_zh, name_en=row.name_en,
                       applies_to=tuple(row.applies_to or ()), rate_bp=row.rate_bp, annual_cap_fen=row.annual_cap_fen,
                       item_cap_fen=row.item_cap_fen, min_digital_level=row.min_digital_level,
                       yearly_count_cap=row.yearly_count_cap, basis_zh=row.basis_zh or "", basis_en=row.basis_en or "")
            for year in range(row.year_from, row.year_to + 1)]


def rules_in_force() -> Rules:
    """Return (default region, every instrument in force per year) from the table, read once per request."""
    from flask import g, has_request_context

    if has_request_context() and "policy_rules" in g:
        return g.policy_rules
    rules = (default_region(), tuple(i for row in current_versions() if row.in_force for i in expand(row)))
    if has_request_context():
        g.policy_rules = rules
    return rules


def forget_rules() -> None:
    """Drop this request's cached rules (after a change)."""
    from flask import g, has_request_context

    if has_request_context():
        g.pop("policy_rules", None)


def region_for(city: str | None, year: int, rules: Rules | None = None) -> str | None:
    """Return the region whose rules apply to an enterprise in a city: the city when it has rules, else None."""
    _, instruments = rules or rules_in_force()
    if city and any(i.region == city and i.year == year for i in instruments):
        return city
    return None


def instruments_for(city: str | None, year: int, kind: str | None = None,
                    rules: Rules | None = None) -> list[Instrument]:
    """Return the instruments in force for an enterprise's city and a year (optionally for one kind); none
    for a city without rules."""
    rules = rules or rules_in_force()
    region = region_for(city, year, rules)
    if region is None:
        return []
    return [i for i in rules[1] if i.region == region and i.year == year and (kind is None or kind in i.applies_to)]


def instrument(code: str, city: str | None, year: int, rules: Rules | None = None) -> Instrument | None:
    """Return one instrument by code for a city and year, or None where it is not in force."""
    return next((i for i in instruments_for(city, year, rules=rules) if i.code == code), None)


def example_instruments(year: int, rules: Rules | None = None) -> tuple[str, list[Instrument]]:
    """Return (default region, its instruments for a year): shown as an example, never applied to anyone else."""
    default, instruments = rules or rules_in_force()
    return default, [i for i in instruments if i.region == default and i.year == year]


def install_default_instruments() -> int:
    """Put the rules file's instruments into an empty table as version 1 (the caller commits); return rows added."""
    from sqlalchemy import func, select

    from marketplace.extensions import db
    from marketplace.policy.models import PolicyInstrument

    if db.session.scalar(select(func.count()).select_from(PolicyInstrument)):
        return 0
    rows = [PolicyInstrument(**default_row(raw)) for raw in read_rules_file()["instruments"]]
    db.session.add_all(rows)
    db.session.flush()
    forget_rules()
    return len(rows)


def default_row(raw: dict) -> dict:
    """Return the column values of version 1 of an instrument of the rules file."""
    return dict(region=raw["region"], code=raw["code"], version=1, in_force=True, name_zh=raw["name_zh"],
                name_en=raw["name_en"], applies_to=list(raw["applies_to"]), year_from=min(raw["years"]),
                year_to=max(raw["years"]), rate_bp=raw["rate_bp"], annual_cap_fen=raw["annual_cap_fen"],
                item_cap_fen=raw["item_cap_fen"], min_digital_level=raw["min_digital_level"],
                yearly_count_cap=raw["yearly_count_cap"], basis_zh=raw["basis_zh"], basis_en=raw["basis_en"],
                note=None, changed_by_id=None)
