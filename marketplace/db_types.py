"""Column types shared by the models: lists of vocabulary codes stored portably."""
from __future__ import annotations

from sqlalchemy import String, type_coerce
from sqlalchemy.types import TypeDecorator


class CodeList(TypeDecorator):
    """A list of vocabulary codes stored as ',a,b,' so `contains_code` works on SQLite and PostgreSQL."""

    impl = String(1000)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Store a list of codes as a comma-fenced string."""
        if not value:
            return ""
        return "," + ",".join(dict.fromkeys(str(v) for v in value if v)) + ","

    def process_result_value(self, value, dialect):
        """Return the stored codes as a list."""
        return [v for v in (value or "").split(",") if v]


def contains_code(column, code: str):
    """Return a SQL condition: this CodeList column holds the code."""
    return type_coerce(column, String).like(f"%,{code},%")
