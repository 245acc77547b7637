"""Column types shared by the models: lists of vocabulary codes, as an array an index can serve.

On PostgreSQL a `CodeList` is a `varchar[]` with a GIN index, and "holds the code" is an array containment
(`codes @> ARRAY[code]`) the index answers; on SQLite (the embedded default) it stays the portable string
',a,b,' and containment is a LIKE. `contains_code` is the one place that spells the condition out.
"""
from __future__ import annotations

from sqlalchemy import String, literal
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Boolean, TypeDecorator


class CodeList(TypeDecorator):
    """A list of vocabulary codes: `varchar[]` on PostgreSQL, ',a,b,' text elsewhere."""

    impl = String(1000)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        """Use a real array on PostgreSQL, the fenced string elsewhere."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(String(40)))
        return dialect.type_descriptor(String(1000))

    def process_bind_param(self, value, dialect):
        """Store a list of codes (duplicates and blanks dropped) as an array or a comma-fenced string."""
        codes = list(dict.fromkeys(str(v) for v in value or [] if v))
        if dialect.name == "postgresql":
            return codes
        return "," + ",".join(codes) + "," if codes else ""

    def process_result_value(self, value, dialect):
        """Return the stored codes as a list."""
        if isinstance(value, list):
            return value
        return [v for v in (value or "").split(",") if v]


class ContainsCode(FunctionElement):
    """SQL condition: a CodeList column holds a code (a string or a SQL expression such as a joined column)."""

    type = Boolean()
    inherit_cache = True
    name = "contains_code"


@compiles(ContainsCode)
def contains_code_fenced(element, compiler, **kw) -> str:
    """The fenced string holds ',code,'."""
    column, code = list(element.clauses)
    return f"({compiler.process(column, **kw)} LIKE '%,' || {compiler.process(code, **kw)} || ',%')"


@compiles(ContainsCode, "postgresql")
def contains_code_array(element, compiler, **kw) -> str:
    """The array contains the one-element array of the code (served by the column's GIN index)."""
    column, code = list(element.clauses)
    return f"({compiler.process(column, **kw)} @> ARRAY[CAST({compiler.process(code, **kw)} AS VARCHAR)])"


def contains_code(column, code: str | ColumnElement) -> ContainsCode:
    """Return a SQL condition: this CodeList column holds the code."""
    if not isinstance(code, ColumnElement):
        code = literal(str(code), String)
    return ContainsCode(column, code)


def schema_items_of(dialect_name: str):
    """Return an Alembic `include_object` hook that leaves out what the models create only on another database.

    The GIN indexes of code lists exist on PostgreSQL only (`Index(...).ddl_if(dialect="postgresql")`), so on
    SQLite autogenerate must neither expect nor drop them.
    """
    def include_object(obj, _name, _type, _reflected, _compare_to) -> bool:
        """Keep an item unless it is declared for another dialect."""
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect is None or ddl_if.dialect == dialect_name

    return include_object
