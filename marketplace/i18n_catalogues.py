"""Maintenance of the translation catalogues: English mirrors the source strings; completeness checks.

`python -m marketplace.i18n_catalogues fill-english` copies every msgid into the English catalogue;
`python -m marketplace.i18n_catalogues check` lists untranslated or fuzzy entries per language.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def catalogue_path(locale: str) -> Path:
    """Return the .po file of a locale."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str):
    """Read a locale's catalogue."""
    with catalogue_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def missing(locale: str) -> list[str]:
    """Return the msgids of a catalogue that are untranslated or fuzzy, compared with the template."""
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    catalogue = load(locale)
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, message.context)
        strings = found.string if found is not None else None
        values = strings if isinstance(strings, (tuple, list)) else (strings,)
        if found is None or found.fuzzy or not all(values):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def fill_english() -> int:
    """Make the English catalogue's translations equal to the (English) source strings."""
    catalogue = load("en")
    changed = 0
    for message in catalogue:
        if not message.id:
            continue
        wanted = message.id if isinstance(message.id, str) else tuple(message.id)
        if message.string != wanted or message.fuzzy:
            message.string = wanted
            message.flags.discard("fuzzy")
            changed += 1
    with catalogue_path("en").open("wb") as fh:
        write_po(fh, catalogue, width=0)
    return changed


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "fill-english":
        print(f"English catalogue: {fill_english()} entries set")
    else:
        for loc in ("zh_Hans_CN", "en"):
            gaps = missing(loc)
            print(f"{loc}: {len(gaps)} missing")
            for msgid in gaps:
                print("   ", msgid)
