"""Extension objects, created unbound and initialised in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from engage.database import Base

db = SQLAlchemy(model_class=Base)

# What every model subclasses. At run time it is Flask-SQLAlchemy's `db.Model` (our `Base` with
# the extension's session and bind handling); to the type checker, which cannot see through
# `db.Model`, it is the declarative `Base` it is built from.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
