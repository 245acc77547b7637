"""统一社会信用代码 (unified social credit code) checks, GB 32100-2015."""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(body: str) -> str:
    """Return the check character for the first 17 characters of a credit code."""
    if len(body) != 17 or any(c not in ALPHABET for c in body):
        raise ValueError("the body must be 17 characters from the GB 32100 alphabet")
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Tell whether a code is 18 characters of the alphabet with a correct check character."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    return check_character(code[:17]) == code[17]
