"""Do the Alembic migrations build exactly the schema the models describe?"""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.extensions import db


def test_models_and_migrations_agree(app):
    """Autogenerate finds nothing to add or change after running every migration."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
