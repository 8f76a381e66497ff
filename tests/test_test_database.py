"""Each test starts from the database the migrations made: every table empty, every id starting
again from 1, whatever the test before wrote, deleted or rolled back."""

from sqlalchemy import delete, func, select

from engage.accounts.models import User
from engage.asset_map.models import Organisation
from engage.extensions import db
from tests.conftest import _empty_tables
from tests.factories import create_service, create_user


def test_every_table_written_to_is_emptied(app):
    create_user()
    create_service("Rothwell youth club")
    _empty_tables()
    for table in db.metadata.sorted_tables:
        assert db.session.scalar(select(func.count()).select_from(table)) == 0, table.name


def test_ids_start_again_from_1_even_where_the_rows_are_already_gone(app):
    create_user()
    db.session.execute(delete(User))  # written and gone again: the ids have still moved on
    db.session.commit()
    db.session.add(Organisation(name="Never saved"))
    db.session.flush()  # on PostgreSQL, a row rolled back moves the ids on too
    db.session.rollback()
    _empty_tables()
    assert create_user().id == 1
    organisation = Organisation(name="Saved")
    db.session.add(organisation)
    db.session.commit()
    assert organisation.id == 1
