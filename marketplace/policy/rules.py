"""Policy instruments as data: voucher and subsidy rules by region and year, loaded from instruments.json.

A new city's rules are new rows in the JSON file (region, years, rate, caps, eligibility), not code.
Rates are basis points (3000 = 30%), caps are integer fen, `null` means "no such limit".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).resolve().parent / "instruments.json"
KINDS = ("model_service", "ai_project", "demonstration_project", "resonance_demo")


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
def load_rules(path: str = str(RULES_FILE)) -> tuple[str, tuple[Instrument, ...]]:
    """Read the rules file: (default region, every instrument expanded per year)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
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


def region_for(city: str | None, year: int, rules=None) -> str:
    """Return the region whose rules apply to an enterprise in a city: its own if defined, else the default."""
    default, instruments = rules or load_rules()
    if city and any(i.region == city and i.year == year for i in instruments):
        return city
    return default


def instruments_for(city: str | None, year: int, kind: str | None = None, rules=None) -> list[Instrument]:
    """Return the instruments in force for an enterprise's city and a year (optionally for one kind)."""
    region = region_for(city, year, rules)
    _, instruments = rules or load_rules()
    return [i for i in instruments if i.region == region and i.year == year
            and (kind is None or kind in i.applies_to)]


def instrument(code: str, city: str | None, year: int, rules=None) -> Instrument | None:
    """Return one instrument by code for a city and year, or None where it is not in force."""
    return next((i for i in instruments_for(city, year, rules=rules) if i.code == code), None)
