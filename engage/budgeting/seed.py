"""Demo rounds: one open for voting with a dozen bids in a North and a West pot, one finished
with ballots and results. The demo ambassador belongs to Corby, so votes in the North pot."""

import random

from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.asset_map.models import Organisation
from engage.budgeting import counting, logic, pots, voting
from engage.budgeting.models import Bid, BidStatus, Phase, Pot, Round
from engage.database import transactional
from engage.extensions import db
from engage.geo.models import Area, AreaLevel

VOTING_TITLE = "Youth Fund 2027: North and West"
DEMO_AMBASSADOR = "ambassador@demo.example.org"
DEMO_AMBASSADOR_AREA = "Corby"
PRIORITIES = "Safe places to go\nMentoring and role models\nKnife crime awareness"
WEST_TOWNS = ("Northampton", "Daventry", "Brackley")
FINISHED_TITLE = "Youth Fund 2026: pilot round"

BIDS = [
    (
        "Friday night boxing for girls",
        6500,
        "Corby Youth Boxing Club",
        "Corby",
        "A safe space to train, get fit and talk with coaches who have been there.",
    ),
    (
        "Kit and coaches for street football",
        4800,
        "Kettering Town Youth Football",
        "Kettering",
        "Free football in the park every week, with kit, coaches and food.",
    ),
    (
        "Knife crime talks in schools",
        7200,
        "Northampton Mentoring Project",
        "Northampton",
        "Young people who have been affected talk honestly to Year 8 and Year 9 classes.",
    ),
    (
        "Youth bus for the villages",
        9800,
        "Rural Youth Bus",
        "East Northamptonshire",
        "A bus with games, Wi-Fi and youth workers that visits villages with nothing to do.",
    ),
    (
        "Mentors for young people leaving care",
        8500,
        "Northampton Mentoring Project",
        "Northampton",
        "A trained mentor meets you every week for a year.",
    ),
    (
        "Cooking and life skills club",
        3200,
        "Rushden Youth Club",
        "Rushden",
        "Learn to cook cheap, healthy meals and manage money.",
    ),
    (
        "Music studio sessions",
        5600,
        "Wellingborough Music Hub",
        "Wellingborough",
        "Record your own tracks with a producer, twice a week after school.",
    ),
    (
        "Bleed kits and first aid training",
        2900,
        "Northants Community Bleed Kit Network",
        "County-wide",
        "Put bleed kits in ten more places and train young people to use them.",
    ),
    (
        "Parents' evenings on online harms",
        2400,
        "Daventry Family Support",
        "Daventry",
        "Evenings for parents about gangs, grooming and social media.",
    ),
    (
        "Skate park nights with youth workers",
        4100,
        "Rothwell Youth Club",
        "Rothwell",
        "Lights on and youth workers at the skate park on Friday nights.",
    ),
    (
        "Peer support for young men's mental health",
        6900,
        "Northampton Peer Wellbeing Network",
        "Northampton",
        "Groups where young men talk about pressure, anger and stress.",
    ),
    (
        "Holiday activity week",
        5200,
        "Brackley Community Centre",
        "Brackley",
        "Sport, trips and food for 11 to 16-year-olds in the summer holidays.",
    ),
]


def _organisation(name: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, description="")
        db.session.add(org)
    return org


def _ambassadors(count: int) -> list[User]:
    """Demo ambassadors who voted in the finished round; they have no password (no sign-in)."""
    people = []
    for n in range(1, count + 1):
        email = f"ambassador{n}@demo.example.org"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                display_name=f"Demo ambassador {n}",
                role=Role.YOUTH_AMBASSADOR.value,
                age_band="16_17",
            )
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


def _council_pots(total: int) -> list[Pot]:
    """A North and a West pot, half each, over the demo Local Area Partnerships; one pot for
    the whole round when the demo areas are not loaded."""
    laps = list(db.session.scalars(select(Area).where(Area.level == AreaLevel.LAP)))
    north = [a for a in laps if a.council == "North Northamptonshire"]
    west = [a for a in laps if a.council == "West Northamptonshire"]
    if not north or not west:
        return [Pot(name="", amount=total)]
    return [
        Pot(name="North", amount=total // 2, areas=north),
        Pot(name="West", amount=total - total // 2, areas=west),
    ]


def _pot_for(funding_round: Round, area: str) -> Pot:
    if len(funding_round.pots) == 1:
        return funding_round.pots[0]
    west = any(area.startswith(town) for town in WEST_TOWNS)
    return funding_round.pots[1 if west else 0]


def _round(title: str, officer: User, phase: str, bids, pot: int = 50000, split=False) -> Round:
    funding_round = Round(
        title=title,
        pot=pot,
        priorities=PRIORITIES,
        eligibility="Voluntary and community groups working with young people in the county.",
        max_bid=10000,
        phase=phase,
        rule="mes",
        ballot_type="approval",
        created_by_id=officer.id,
        description="Money the youth ambassadors share between local "
        "projects that keep young people safe.",
    )
    funding_round.pots = _council_pots(pot) if split else [Pot(name="", amount=pot)]
    db.session.add(funding_round)
    for title_, cost, org, area, summary in bids:
        db.session.add(
            Bid(
                round=funding_round,
                pot=_pot_for(funding_round, area),
                organisation=_organisation(org),
                submitted_by_id=officer.id,
                title=title_,
                summary=summary,
                cost=cost,
                area=area,
                status=BidStatus.SHORTLISTED,
                minimum_age=11,
                maximum_age=24,
            )
        )
    db.session.flush()
    return funding_round


@transactional
def load_demo_rounds(officer_email: str) -> int:
    """Create the demo rounds if they are missing; returns how many were created."""
    officer = db.session.scalar(select(User).where(User.email == officer_email))
    assert officer is not None, "load the demo users first"
    existing = set(db.session.scalars(select(Round.title)))
    created = 0
    if VOTING_TITLE not in existing:
        _round(VOTING_TITLE, officer, Phase.VOTING, BIDS, split=True)
        _place_demo_ambassador(officer)
        created += 1
    if FINISHED_TITLE not in existing:
        finished = _round(FINISHED_TITLE, officer, Phase.COUNTING, BIDS[:8], pot=30000)
        rng = random.Random(2026)
        bids = logic.shortlisted(finished)
        weights = [6, 5, 4, 2, 4, 3, 3, 2]
        finished.phase = Phase.VOTING
        for person in _ambassadors(24):
            picks = set(rng.choices(bids, weights=weights, k=rng.randint(1, 4)))
            voting.cast_ballot(person, finished.pots[0], {b.id: 1 for b in picks})
        finished.phase = Phase.COUNTING
        finished.result = counting.round_result(finished).to_json()
        logic.advance_phase(officer, finished)
        created += 1
    return created


def _place_demo_ambassador(officer: User) -> None:
    ambassador = db.session.scalar(select(User).where(User.email == DEMO_AMBASSADOR))
    area = db.session.scalar(
        select(Area).where(Area.name == DEMO_AMBASSADOR_AREA, Area.level == AreaLevel.LAP)
    )
    if ambassador is not None and area is not None and not pots.areas_of(ambassador):
        pots.set_areas(officer, ambassador, [area.id])
