"""Flask extensions, created unbound here and bound to the app in create_app(); `Model`, the models' base class."""
from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    class Model(Base):
        """What a type checker takes `db.Model` for: a declarative model on `Base`.

        Flask-SQLAlchemy's legacy `Model.query` is left out: the app queries through `db.session`, and the
        search and saved-search models have a column named `query` that shadows it.
        """

        __abstract__ = True
else:
    # Flask-SQLAlchemy builds db.Model at run time (its own class on Base's bases, with the table-naming and
    # bind mixins), so a type checker cannot use it as a base class; models subclass this name instead.
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
mail = Mail()
