"""Fill the Chinese catalogue from translations/pending/*.json ({msgid: 中文} or {msgid: [中文]} for plurals).

Used while several people add strings at once: each writes its pending file, then one run of
`make messages` and this script merges them and reports what is still missing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations/zh_Hans_CN/LC_MESSAGES/messages.po"


def main() -> int:
    """Merge every pending file into the zh catalogue; print the msgids still untranslated."""
    wanted: dict = {}
    for path in sorted((ROOT / "translations/pending").glob("*.json")):
        wanted.update(json.loads(path.read_text(encoding="utf-8")))
    with PO.open("rb") as fh:
        catalog = read_po(fh)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        done = all(message.string) if isinstance(message.string, tuple) else bool(message.string)
        if done:
            continue
        if key in wanted:
            value = wanted[key]
            if isinstance(message.id, tuple):
                texts = value if isinstance(value, list) else [value]
                message.string = tuple(texts[:1] * max(1, len(message.string or ("",))))
            else:
                message.string = value[0] if isinstance(value, list) else value
            message.flags.discard("fuzzy")
        else:
            missing.append(key)
    with PO.open("wb") as fh:
        write_po(fh, catalog)
    for key in missing:
        print("missing:", key)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
