"""Does the diagnosis migration go down and up again cleanly?"""
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from marketplace.extensions import db

TABLES = {"digital_assessment", "diagnosis_visit", "diagnosis_follow_up"}


def test_diagnosis_tables_go_down_and_come_back(app):
    """Downgrading to 0022_merge_finish drops the three tables; upgrading creates them again."""
    with app.app_context():
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.session.remove()
        downgrade(revision="0022_merge_finish")
        assert not TABLES & set(inspect(db.engine).get_table_names())
        upgrade(revision="heads")
        assert TABLES <= set(inspect(db.engine).get_table_names())
        db.session.remove()
