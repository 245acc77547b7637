"""Automatic flags: text that is mostly repetition, or far longer than its field is for.

**Repetition.** A text is cut into overlapping 4-character pieces (4-grams; whitespace runs count as one
space). In natural writing almost every 4-gram occurs once: the 600-odd texts of the demo data (needs,
offerings, model cards, provider profiles, cases) repeat at most 7% of theirs. A text that says one phrase
again and again repeats nearly all of them (a phrase of 18 characters written 150 times: 99%). We flag a
text of at least `MIN_LENGTH` characters when at least half (`REPEAT_SHARE`) of its 4-grams are repeats of an
earlier one — far above any honest text, far below any copy-pasted filler. Four characters because Chinese
words are one to four characters long: shorter pieces repeat in honest Chinese (的, 检测), longer ones miss a
phrase repeated with small variations.

**Length.** Each kind's free-text fields have a length their purpose needs (`LIMITS`, in characters): a need's
description that runs past 2,000 characters is no longer a description of one scenario. The forms still accept
up to their hard maximum; the flag only sends the item to the moderation queue and never blocks the author.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NGRAM = 4
MIN_LENGTH = 80
REPEAT_SHARE = 0.5

LIMITS: dict[str, dict[str, int]] = {
    "need": {"description": 2000, "pain_points": 1500, "data_available": 1500},
    "offering": {"description": 3000},
    "model": {"description": 3000},
    "provider": {"capabilities": 3000, "reference_cases": 3000},
    "case": {"problem": 3000, "solution": 3000},
    "review": {"text": 1500},
    "message": {"body": 2000},
}
"""The length each kind's free-text fields are for (longer ones are flagged), by subject and attribute."""

FIELDS: dict[str, tuple[str, ...]] = {
    "need": ("title", "description", "pain_points", "data_available"),
    "offering": ("title", "summary", "description"),
    "model": ("name", "summary", "description"),
    "provider": ("summary", "capabilities", "reference_cases"),
    "case": ("title", "problem", "solution"),
    "review": ("text",),
    "message": ("body",),
}
"""The free-text fields of each kind that are checked for repetition."""


@dataclass(frozen=True)
class Flag:
    """One automatic flag: which rule ("repetitive" or "overlong"), on which field, and the measure."""

    reason: str
    field: str
    detail: str


def repeated_share(text: str, n: int = NGRAM) -> float:
    """Return the share (0–1) of a text's overlapping n-character pieces that repeat an earlier piece."""
    text = re.sub(r"\s+", " ", text or "").strip()
    total = len(text) - n + 1
    if total <= 0:
        return 0.0
    distinct = len({text[i:i + n] for i in range(total)})
    return 1 - distinct / total


def is_repetitive(text: str) -> bool:
    """Tell whether a text is long enough to judge and mostly repetition."""
    return len((text or "").strip()) >= MIN_LENGTH and repeated_share(text) >= REPEAT_SHARE


def flags_for(subject_name: str, record) -> list[Flag]:
    """Return the automatic flags a record's text raises (empty for ordinary text)."""
    found = []
    for field in FIELDS.get(subject_name, ()):
        text = getattr(record, field, None) or ""
        if is_repetitive(text):
            found.append(Flag("repetitive", field, f"{field}: {repeated_share(text):.0%}"))
    for field, limit in LIMITS.get(subject_name, {}).items():
        text = getattr(record, field, None) or ""
        if len(text) > limit:
            found.append(Flag("overlong", field, f"{field}: {len(text)} > {limit}"))
    return found
