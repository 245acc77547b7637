"""URL converters: the app's `int` converter only matches ids a database integer column can hold.

Werkzeug's own `int` converter accepts any run of digits, so `/orders/99999999999999999999` reached the
view and the database (PostgreSQL refuses any id from 2³¹ up with an error, i.e. a 500). Registered as the
app's `int` converter, this one matches 1 … 2³¹−1 only; anything else is simply no route, a 404. With the default
bounds its pattern itself matches only those numbers: werkzeug answers 405 when a path's pattern matched a rule
of another method (a PATCH of `/api/v1/offerings/<id>`) and the value was then refused, instead of 404.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

INT_MIN = 1
INT_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """An `int` path variable between 1 and 2³¹−1 unless the rule says otherwise (`<int(min=0):n>`)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = INT_MIN, max: int | None = INT_MAX,
                 signed: bool = False) -> None:
        """Create the converter with the database integer range as its default bounds."""
        super().__init__(map, fixed_digits=fixed_digits, min=INT_MIN if min is None else min,
                         max=INT_MAX if max is None else max, signed=signed)
        if self.min == 1 and self.max is not None and not signed and not fixed_digits:
            self.regex = one_to(self.max)


def one_to(high: int) -> str:
    """Return a pattern matching exactly the numbers 1 … high written without leading zeros."""
    digits = str(high)
    width = len(digits)
    options = [rf"[1-9]\d{{0,{width - 2}}}"] if width > 1 else []
    for i, digit in enumerate(digits):
        low, top = (1 if i == 0 else 0), int(digit) - 1
        if top >= low:
            rest = width - i - 1
            options.append(f"{digits[:i]}[{low}-{top}]" + (rf"\d{{{rest}}}" if rest else ""))
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


def install(url_map: Map) -> None:
    """Make the bounded converter the map's `int` converter (before any rule that uses it is added)."""
    url_map.converters["int"] = BoundedIntConverter
