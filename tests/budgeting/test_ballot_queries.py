"""What one ballot costs the database: every ambassador may vote in the same minute, so a
ballot is a fixed, small number of statements, whatever the number of areas, pots, bids and
ambassadors (their eligibility read once per request, no area rows or area tree loaded)."""

import contextlib

from sqlalchemy import event

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting import pots
from engage.budgeting.models import Pot, Round
from engage.extensions import db
from engage.geo.models import Area
from tests.budgeting.conftest import SQUARE
from tests.budgeting.pages import ROOT, ballot_rows, csrf_token
from tests.budgeting.test_pots import BIDS, _ambassador, _split_round, _voting
from tests.conftest import signed_in
from tests.factories import create_user

FIRST_VOTE, CHANGED_VOTE = 6, 5  # statements, transaction control not counted (8 and 7 until
# the pot was read with the pots the voter votes in, and the voter's standing with the costs)


@contextlib.contextmanager
def statements():
    said: list[str] = []

    def heard(conn, cursor, statement, parameters, context, executemany):
        said.append(statement)

    event.listen(db.engine, "before_cursor_execute", heard)
    try:
        yield said
    finally:
        event.remove(db.engine, "before_cursor_execute", heard)


def _votes(client, page: str, choices: list[int]) -> list[int]:
    """Statements each ballot makes, sent as from a fresh request (nothing already loaded)."""
    token, made = csrf_token(client, page), []
    for choice in choices:
        db.session.expunge_all()
        with statements() as said:
            response = client.post(page, data={**ballot_rows({choice: 1}), "csrf_token": token})
        assert response.status_code == 302
        made.append(len(said))
    return made


def _more_places_and_people(officer, places, count: int) -> None:
    wards = [
        Area(code=f"X{n}", name=f"Ward {n}", level="ward", parent=places["west"], geometry=SQUARE)
        for n in range(count)
    ]
    db.session.add_all(wards)
    db.session.commit()
    for ward in wards[:10]:
        _ambassador(officer, ward)
    for _ in range(count):
        create_user(Role.YOUTH_AMBASSADOR)


def test_a_ballot_makes_the_same_few_statements_however_many_areas_and_voters(
    app, client, auth, people, places
):
    officer, provider, org = people
    funding_round = _split_round(officer, places)
    bids = _voting(officer, provider, org, funding_round, BIDS)
    north, west = funding_round.pots
    page = f"{ROOT}/{funding_round.id}/pots/{north.id}/vote"
    auth.sign_in_as(_ambassador(officer, places["ward"]))
    ids = {"officer": officer.id, "round": funding_round.id, "west_pot": west.id}
    ids |= {name: area.id for name, area in places.items()}
    choices = [bids[title].id for title in ("Boxing", "Bus", "Music")]
    assert _votes(client, page, choices[:2]) == [FIRST_VOTE, CHANGED_VOTE]
    officer = db.session.get(User, ids["officer"])
    places = {name: db.session.get(Area, ids[name]) for name in places}
    _more_places_and_people(officer, places, 60)
    second = signed_in(app, _ambassador(officer, places["ward"], places["west"]))
    assert _votes(second, page, choices[2:0:-1]) == [FIRST_VOTE, CHANGED_VOTE]
    funding_round, west = db.session.get(Round, ids["round"]), db.session.get(Pot, ids["west_pot"])
    officer, area = db.session.get(User, ids["officer"]), db.session.get(Area, ids["west"])
    assert pots.eligible_pots(_ambassador(officer, area), funding_round) == [west]
