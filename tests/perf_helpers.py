"""Counting the SQL statements a block of code sends, to prove a page's cost does not grow with its rows."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from marketplace.extensions import db


class StatementLog:
    """The statements sent inside a `count_statements` block."""

    def __init__(self) -> None:
        """Start with none."""
        self.statements: list[str] = []
        self.parameters: list = []

    @property
    def count(self) -> int:
        """How many statements were sent."""
        return len(self.statements)

    def __repr__(self) -> str:
        """List the statements, one a line (shown when an assertion fails)."""
        return f"<{self.count} statements>\n" + "\n".join(s.splitlines()[0][:160] for s in self.statements)


@contextmanager
def count_statements(app) -> Iterator[StatementLog]:
    """Record every statement the app's database engine executes inside the block."""
    with app.app_context():
        engine = db.engine
    log = StatementLog()

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        """Keep one executed statement and its parameters."""
        log.statements.append(statement)
        log.parameters.append(parameters)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", record)
