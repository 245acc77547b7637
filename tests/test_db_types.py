"""Are code lists stored and filtered in a form an index can serve, on either database?"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from marketplace.catalog.models import Offering
from marketplace.db_types import contains_code
from marketplace.extensions import db
from tests.factories import make_offering, make_user


def test_contains_code_is_array_containment_on_postgresql_and_a_fenced_like_on_sqlite():
    """PostgreSQL gets `@> ARRAY[...]` (what a GIN index answers); SQLite the portable ',code,' LIKE."""
    condition = contains_code(Offering.scenarios, "online_inspection")
    on_postgresql = str(condition.compile(dialect=postgresql.dialect()))
    on_sqlite = str(condition.compile(dialect=sqlite.dialect()))
    assert "@> ARRAY[CAST(" in on_postgresql and "LIKE" not in on_postgresql
    assert "LIKE '%,' ||" in on_sqlite


def test_code_lists_round_trip_and_filter_by_whole_codes(in_app):
    """A list comes back as written (order kept, duplicates and blanks dropped) and a code matches whole codes only."""
    vendor = make_user("vendor").organisation
    first = make_offering(vendor, scenarios=["online_inspection", "", "online_inspection", "energy_management"])
    make_offering(vendor, scenarios=["online_inspection_plus"])
    make_offering(vendor, scenarios=[])
    db.session.expire_all()
    assert db.session.get(Offering, first.id).scenarios == ["online_inspection", "energy_management"]
    found = db.session.scalars(select(Offering.id).where(contains_code(Offering.scenarios, "online_inspection")))
    assert list(found) == [first.id]
    column = select(Offering.id).where(contains_code(Offering.scenarios, Offering.title))
    assert list(db.session.scalars(column)) == []
