"""The rules a record's fields must meet, as data, checked in one place for every way a record is written.

A feature declares its fields once (`Text`, `Code`, `Codes`, `Whole`: limits, whether required, which
vocabulary a code comes from) and its service calls `check_fields` before saving, so the pages' forms, the JSON
API and imports refuse the same values for the same reasons. Forms read the same declarations for their
validators (lengths, choices), and the API's schemas for their documented limits, so no limit is written twice.

A refusal is a `DomainError` with one reason per field, in the user's language.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from marketplace.errors import DomainError


@dataclass(frozen=True)
class Text:
    """Free text, stored trimmed: at most `max` characters, at least `min` when given, required or optional."""

    max: int
    min: int = 0
    required: bool = False

    def problem(self, value) -> str | None:
        """Return what is wrong with a value, or None."""
        if value is None or value == "":
            return _("This field is required.") if self.required else None
        if not isinstance(value, str):
            return _("Give text.")
        if len(value) > self.max:
            return _("At most %(n)d characters.", n=self.max)
        if len(value) < self.min:
            return _("At least %(n)d characters.", n=self.min)
        return None


@dataclass(frozen=True)
class Code:
    """One code of a controlled list (`codes`, from `marketplace.vocab`), required or optional."""

    codes: tuple[str, ...]
    required: bool = True

    def problem(self, value) -> str | None:
        """Return what is wrong with a value, or None."""
        if value is None or value == "":
            return _("Please choose one of the options.") if self.required else None
        if not isinstance(value, str) or value not in self.codes:
            return unknown_code(value)
        return None


@dataclass(frozen=True)
class Codes:
    """Several codes of a controlled list, each at most once; at least one unless optional."""

    codes: tuple[str, ...]
    required: bool = True

    def problem(self, value) -> str | None:
        """Return what is wrong with a value, or None."""
        if value is None or (isinstance(value, list | tuple) and not value):
            return _("Choose at least one.") if self.required else None
        if not isinstance(value, list | tuple):
            return _("Give a list.")
        for code in value:
            if not isinstance(code, str) or code not in self.codes:
                return unknown_code(code)
        if len(set(value)) != len(value):
            return _("Each code at most once.")
        return None


@dataclass(frozen=True)
class Whole:
    """A whole number from `min` to `max` (amounts: integer fen), required or optional."""

    min: int
    max: int
    required: bool = True

    def problem(self, value) -> str | None:
        """Return what is wrong with a value, or None."""
        if value is None:
            return _("This field is required.") if self.required else None
        if isinstance(value, bool) or not isinstance(value, int):
            return _("Give a whole number.")
        if value < self.min:
            return _("Must be at least %(n)s.", n=self.min)
        if value > self.max:
            return _("Must be at most %(n)s.", n=self.max)
        return None


Rule = Text | Code | Codes | Whole


def unknown_code(value) -> str:
    """Say a code is not in its list, and where the lists are."""
    shown = str(value)[:40] if isinstance(value, str | int) else "?"
    return _("Unknown code: %(code)s (the codes are listed at /api/v1/vocabulary).", code=shown)


def trimmed(fields: Mapping) -> dict:
    """Return the fields with text trimmed (what every rule checks and every record stores)."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def field_problems(rules: Mapping[str, Rule], fields: Mapping, creating: bool, prefix: str = ""
                   ) -> list[tuple[str | None, str]]:
    """Return (field, reason) for each field that breaks its rule; a new record must have every required field,
    an edit only the fields it changes."""
    reasons: list[tuple[str | None, str]] = []
    for name, rule in rules.items():
        if name not in fields and not creating:
            continue
        problem = rule.problem(fields.get(name))
        if problem is not None:
            reasons.append((prefix + name, problem))
    return reasons


def check_fields(rules: Mapping[str, Rule], fields: Mapping, creating: bool) -> dict:
    """Return the trimmed fields, or refuse them with every field's reason (`DomainError`)."""
    clean = trimmed(fields)
    reasons = field_problems(rules, clean, creating)
    if reasons:
        raise DomainError(reasons=reasons)
    return clean


def checks(rules: Mapping[str, Rule], name: str, blank_allowed: bool = False) -> list:
    """Return the WTForms validators of a text field's rule, so a form shows the limits the service checks
    (`blank_allowed`: a field of a row that may be left empty as a whole, such as an evaluation row)."""
    from wtforms.validators import DataRequired, Length, Optional

    rule = rules[name]
    assert isinstance(rule, Text)
    required = rule.required and not blank_allowed
    return [DataRequired() if required else Optional(), Length(min=rule.min or -1, max=rule.max)]
