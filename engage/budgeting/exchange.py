"""Rounds to and from pabulib files: export for open data (each pot a file that pabulib's own
checker accepts), import for replay and teaching."""

import secrets
from datetime import date
from fractions import Fraction

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.models import Organisation
from engage.budgeting.counting import count, election_of
from engage.budgeting.logic import RoundError, shortlisted
from engage.budgeting.models import (
    Ballot,
    BallotType,
    Bid,
    BidStatus,
    CountingRule,
    Phase,
    PhaseChange,
    Pot,
    Round,
)
from engage.budgeting.rules import Election, VoteType
from engage.budgeting.rules.pabulib import write
from engage.budgeting.voting import fresh_receipts
from engage.database import transactional
from engage.extensions import db

IMPORTED = "Imported from pabulib"
# How pabulib names our rules. A pot whose every voted-for project fits is "greedy": every
# rule funds them all (and pabulib's checker would never finish re-counting Add1 on it).
PABULIB_RULES = {CountingRule.MES: "equalshares/add1", CountingRule.GREEDY: "greedy"}


def _pabulib_date(when: date) -> str:
    return when.strftime("%d.%m.%Y")


def _voting_dates(funding_round: Round) -> tuple[date, date]:
    """When voting opened and closed, from the round's log (its creation date otherwise)."""
    changes = {c.to_phase: c.changed_at.date() for c in funding_round.phase_changes}
    opened = changes.get(Phase.VOTING, funding_round.created_at.date())
    return opened, max(changes.get(Phase.COUNTING, opened), opened)


def _ballot_limits(funding_round: Round, pot: Pot) -> dict[str, str]:
    kind = funding_round.ballot_type
    if kind == BallotType.K_APPROVAL and (funding_round.max_choices or 0) > 1:
        return {"max_length": str(funding_round.max_choices)}
    if kind == BallotType.KNAPSACK:
        return {"max_sum_cost": str(pot.amount)}
    if kind == BallotType.POINTS:
        return {"max_sum_points": str(funding_round.points or 0)}
    return {}


def _meta(pot: Pot, election: Election, fully_funded: bool, left_out: int) -> dict[str, str]:
    funding_round = pot.round
    opened, closed = _voting_dates(funding_round)
    one = funding_round.ballot_type == BallotType.K_APPROVAL and funding_round.max_choices == 1
    meta = {
        "description": funding_round.title,
        "country": "United Kingdom",
        "unit": current_app.config["PARTNERSHIP_NAME"],
        "instance": str(opened.year),
        "rule": "greedy" if fully_funded else PABULIB_RULES[CountingRule(funding_round.rule)],
        "date_begin": _pabulib_date(opened),
        "date_end": _pabulib_date(closed),
        "edition": f"round {funding_round.id}",
        "language": str(current_app.config["BABEL_DEFAULT_LOCALE"])[:2],
        "currency": "GBP",
        **_ballot_limits(funding_round, pot),
    }
    if pot.name:
        meta["subunit"] = pot.name
    if one:
        election.vote_type = VoteType.CHOOSE_1
    notes = []
    if left_out:
        notes.append(f"{left_out} shortlisted projects that no one voted for are left out.")
    if fully_funded:
        meta["fully_funded"] = "1"
        notes.append(
            "Every project with a vote fitted in the pot, so it is funded whatever the rule"
            f" (the round was counted with {CountingRule(funding_round.rule).value})."
        )
    if notes:
        meta["comment"] = "#1: " + " ".join(notes)
    return meta


def export_pb(pot: Pot) -> str:
    """The pot's election as a pabulib file: the projects someone voted for (with their votes,
    or points, and whether they were funded), and the ballots in an order that says nothing
    about who cast them or when. Only once voting has closed."""
    funding_round = pot.round
    if not Phase(funding_round.phase).reached(Phase.COUNTING):
        raise RoundError(_("Ballots can be exported once voting has closed"))
    election = election_of(pot, supported_only=True)
    recorded = funding_round.counted
    selected = set(recorded.pot(pot.id).selected if recorded else count(pot).selected)
    points = funding_round.ballot_type == BallotType.POINTS
    for pid, extra in election.project_meta.items():
        voters = sum(1 for b in election.ballots if b.get(pid, 0) > 0)
        extra["votes"] = str(voters)
        if points:
            extra["score"] = str(sum(int(b.get(pid, 0)) for b in election.ballots))
        extra["selected"] = "1" if pid in selected else "0"
    fully_funded = sum(election.costs.values(), Fraction(0)) <= election.budget
    left_out = len(shortlisted(funding_round, pot)) - len(election.costs)
    election.meta = _meta(pot, election, fully_funded, left_out)
    return write(election, project_order=_greedy_order(election, points))


def _greedy_order(election: Election, points: bool) -> list[str]:
    """Most votes (or points) first, then as the round breaks ties (lowest cost, most
    supporters, bid number): the order its greedy rule takes them in, so pabulib's checker
    re-counts it the same way."""
    key = "score" if points else "votes"
    extra = election.project_meta
    return sorted(
        election.costs,
        key=lambda pid: (
            -int(extra[pid][key]),
            election.costs[pid],
            -int(extra[pid]["votes"]),
            pid.zfill(12),
        ),
    )


@transactional
def import_election(election: Election, officer: User, title: str | None = None) -> Round:
    """A round in the counting phase holding the file's projects and ballots; ballots have no
    voters behind them, so officers can count, compare rules and teach with real elections.
    Ranked (ordinal) ballots are refused: no round holds a ranking, and reading one as points
    would change what the voters said."""
    if election.vote_type == VoteType.ORDINAL:
        raise RoundError(
            _(
                "This file has ranked (ordinal) ballots. Engage rounds hold ticks or points, "
                "so it cannot be imported without changing what the voters said."
            )
        )
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == IMPORTED)
    ) or Organisation(name=IMPORTED, description="")
    points = election.vote_type in (VoteType.CUMULATIVE, VoteType.SCORING)
    costs = [round(c) for c in election.costs.values()]
    funding_round = Round(
        title=(title or election.meta.get("description") or "Imported election")[:200],
        description=election.meta.get("description", ""),
        pot=round(election.budget),
        max_bid=max([*costs, 1]),
        phase=Phase.COUNTING,
        ballot_type=BallotType.POINTS if points else BallotType.APPROVAL,
        points=None,
        rule=(
            CountingRule.MES
            if election.meta.get("rule", "").startswith("equal")
            else CountingRule.GREEDY
        ),
        created_by_id=officer.id,
    )
    pot = Pot(name=election.meta.get("subunit", "")[:80], amount=funding_round.pot)
    funding_round.pots = [pot]
    db.session.add(funding_round)
    funding_round.phase_changes.append(
        PhaseChange(from_phase=Phase.DRAFT, to_phase=Phase.COUNTING, changed_by_id=officer.id)
    )
    bids = _imported_bids(election, funding_round, pot, organisation, officer)
    db.session.flush()
    receipts = fresh_receipts(len(election.ballots))
    db.session.add_all(
        Ballot(
            round_id=funding_round.id,
            pot_id=pot.id,
            voter_key=secrets.token_hex(16),
            choices={str(bids[pid].id): int(v) for pid, v in ballot.items() if v > 0},
            receipt=receipt,
        )
        for ballot, receipt in zip(election.ballots, receipts, strict=True)
    )
    return funding_round


def _imported_bids(election, funding_round, pot, organisation, officer) -> dict[str, Bid]:
    bids = {}
    titles: set[str] = set()
    for pid in election.project_ids:
        name = " ".join(election.project_meta.get(pid, {}).get("name", "").split())
        title = (name or f"Project {pid}")[:120]
        if title in titles:  # bid titles differ within an organisation's round
            title = f"{title[:100]} ({pid})"[:120]
        titles.add(title)
        bids[pid] = Bid(
            round=funding_round,
            pot=pot,
            organisation=organisation,
            submitted_by=officer,
            title=title,
            summary=name or title,
            cost=round(election.costs[pid]),
            status=BidStatus.SHORTLISTED,
        )
        db.session.add(bids[pid])
    return bids
