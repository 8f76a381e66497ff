"""Area pots: a round's money split by area (a North pot and a West pot), and which pots each
youth ambassador votes in. An ambassador belongs to one or more areas (an officer records
them); a pot with areas is open to ambassadors in any of them or in a smaller area inside
them; a pot without areas is open to every ambassador."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import joinedload

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.logic import RoundError, once_more_on_clash
from engage.budgeting.models import Phase, Pot, Round, ambassador_areas, pot_areas
from engage.database import transactional
from engage.extensions import db
from engage.geo.models import Area, AreaLevel


def area_choices() -> list[Area]:
    """The areas pots and ambassadors are described by: the Local Area Partnerships."""
    query = select(Area).where(Area.level == AreaLevel.LAP).order_by(Area.name)
    return list(db.session.scalars(query))


def _areas(area_ids: list[int]) -> list[Area]:
    chosen = list(db.session.scalars(select(Area).where(Area.id.in_(area_ids)))) if area_ids else []
    if len(chosen) != len(set(area_ids)):
        raise RoundError(_("Choose areas from the list"), "areas")
    return chosen


def _total(funding_round: Round) -> None:
    funding_round.pot = sum(p.amount for p in funding_round.pots)


def _draft_only(funding_round: Round) -> None:
    if funding_round.phase != Phase.DRAFT:
        raise RoundError(_("Pots can only be changed while the round is a draft"))


@once_more_on_clash
@transactional
def add_pot(officer: User, funding_round: Round, name: str, amount: int | None, area_ids) -> Pot:
    """Add an area pot. The first one replaces the round's single whole-area pot; the round's
    total becomes the sum of its pots. Pot names differ within a round (so a second click adds
    nothing)."""
    _draft_only(funding_round)
    name = name.strip()[:80]
    if not name:
        raise RoundError(_("Enter a name for the pot, like North"), "name")
    if any(p.name == name for p in funding_round.pots):
        raise RoundError(_("This round already has a pot called %(name)s", name=name), "name")
    if amount is None or amount <= 0:
        raise RoundError(_("Enter the pot's amount in whole pounds, more than £0"), "amount")
    areas = _areas(area_ids)
    if not areas:
        raise RoundError(_("Choose the areas whose ambassadors vote in this pot"), "areas")
    if any(not p.areas for p in funding_round.pots):
        funding_round.pots = [p for p in funding_round.pots if p.areas]
    pot = Pot(name=name, amount=amount, areas=areas)
    funding_round.pots.append(pot)
    _total(funding_round)
    db.session.flush()
    return pot


@transactional
def remove_pot(officer: User, pot: Pot) -> None:
    """Remove an area pot; removing the last one leaves one pot for the whole round."""
    funding_round = pot.round
    _draft_only(funding_round)
    funding_round.pots.remove(pot)
    if not funding_round.pots:
        funding_round.pots.append(Pot(name="", amount=pot.amount))
    _total(funding_round)


def pot_name(pot: Pot) -> str:
    return pot.name or _("Whole round")


# Who votes where


def _parents() -> dict[int, int | None]:
    return dict(db.session.execute(select(Area.id, Area.parent_id)).tuples().all())


def _with_ancestors(area_ids: set[int], parents: dict[int, int | None]) -> set[int]:
    found: set[int] = set()
    todo: list[int | None] = list(area_ids)
    while todo:
        area_id = todo.pop()
        if area_id is not None and area_id not in found:
            found.add(area_id)
            todo.append(parents.get(area_id))
    return found


def areas_of(user: User) -> list[Area]:
    query = (
        select(Area)
        .join(ambassador_areas, ambassador_areas.c.area_id == Area.id)
        .where(ambassador_areas.c.user_id == user.id)
        .order_by(Area.name)
    )
    return list(db.session.scalars(query))


def covers(pot: Pot, area_ids: set[int]) -> bool:
    """Whether an ambassador with these areas (and their parents) votes in the pot."""
    return not pot.areas or any(a.id in area_ids for a in pot.areas)


def eligible_pots(user: User, funding_round: Round) -> list[Pot]:
    """The round's pots the person votes in: read on every ballot, so in one or two light
    statements whatever the number of pots and areas (no area rows, no whole area tree)."""
    if user.role != Role.YOUTH_AMBASSADOR:
        return []
    return _theirs(user, *_pots_and_areas(funding_round.id))


def pot_and_eligible_pots(user: User, round_id: int, pot_id: int) -> tuple[Pot | None, list[Pot]]:
    """The round's pot `pot_id` with its round (None if the round has no such pot), and the
    round's pots the person votes in: what every ballot reads first, in the same statements."""
    round_pots, links = _pots_and_areas(round_id, with_round=True)
    pot = next((p for p in round_pots if p.id == pot_id), None)
    if user.role != Role.YOUTH_AMBASSADOR:
        return pot, []
    return pot, _theirs(user, round_pots, links)


def _theirs(user: User, round_pots: list[Pot], links: dict[int, set[int]]) -> list[Pot]:
    if not links:
        return round_pots
    mine = _ancestry(user)
    return [p for p in round_pots if p.id not in links or links[p.id] & mine]


# Read on every ballot, so built once: built for each, a statement's construction and cache
# key cost more than running it.
_POTS = (
    select(Pot, pot_areas.c.area_id)
    .outerjoin(pot_areas, pot_areas.c.pot_id == Pot.id)
    .where(Pot.round_id == bindparam("round"))
    .order_by(Pot.id)
)
_POTS_AND_ROUND = _POTS.options(joinedload(Pot.round))


def _pots_and_areas(
    round_id: int, with_round: bool = False
) -> tuple[list[Pot], dict[int, set[int]]]:
    """The round's pots in order (with their round, if asked), and the areas of each one that
    has any, in one statement."""
    query = _POTS_AND_ROUND if with_round else _POTS
    round_pots: list[Pot] = []
    links: dict[int, set[int]] = {}
    for pot, area_id in db.session.execute(query, {"round": round_id}).tuples():
        if not round_pots or round_pots[-1] is not pot:
            round_pots.append(pot)
        if area_id is not None:
            links.setdefault(pot.id, set()).add(area_id)
    return round_pots, links


def _ancestry(user: User) -> set[int]:
    """The ambassador's areas and every area they lie in, in one recursive query."""
    found = (
        select(ambassador_areas.c.area_id.label("id"))
        .where(ambassador_areas.c.user_id == user.id)
        .cte("found", recursive=True)
    )
    found = found.union(
        select(Area.parent_id).join(found, Area.id == found.c.id).where(Area.parent_id.is_not(None))
    )
    return set(db.session.scalars(select(found.c.id)))


def ambassadors() -> list[User]:
    query = select(User).where(User.role == Role.YOUTH_AMBASSADOR.value, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name)))


def eligible_ambassadors(pot: Pot) -> list[User]:
    """Active ambassadors who vote in the pot."""
    people = ambassadors()
    if not pot.areas:
        return people
    pairs = db.session.execute(select(ambassador_areas.c.user_id, ambassador_areas.c.area_id))
    by_user: dict[int, set[int]] = {}
    for user_id, area_id in pairs:
        by_user.setdefault(user_id, set()).add(area_id)
    parents = _parents()  # read once, not once per ambassador
    return [p for p in people if covers(pot, _with_ancestors(by_user.get(p.id, set()), parents))]


@transactional
def set_areas(officer: User, ambassador: User, area_ids: list[int]) -> None:
    """Record the areas an ambassador belongs to (replacing what was there)."""
    if ambassador.role != Role.YOUTH_AMBASSADOR:
        raise RoundError(_("Only youth ambassadors have areas for voting"))
    areas = _areas(area_ids)
    db.session.execute(delete(ambassador_areas).where(ambassador_areas.c.user_id == ambassador.id))
    if areas:
        db.session.execute(
            insert(ambassador_areas), [{"user_id": ambassador.id, "area_id": a.id} for a in areas]
        )
