"""Rounds to and from pabulib files: export for open data, import for replay and teaching."""

import secrets

from sqlalchemy import select

from engage.accounts.models import User
from engage.asset_map.models import Organisation
from engage.budgeting.models import Ballot, BallotType, Bid, BidStatus, Phase, Pot, Round
from engage.budgeting.rules import Election, VoteType
from engage.budgeting.voting import fresh_receipts
from engage.database import transactional
from engage.extensions import db

IMPORTED = "Imported from pabulib"


@transactional
def import_election(election: Election, officer: User, title: str | None = None) -> Round:
    """A round in the counting phase holding the file's projects and ballots; ballots have no
    voters behind them, so officers can count, compare rules and teach with real elections."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == IMPORTED)
    ) or Organisation(name=IMPORTED, description="")
    points = election.vote_type in (VoteType.CUMULATIVE, VoteType.SCORING)
    costs = [int(c) for c in election.costs.values()]
    funding_round = Round(
        title=title or election.meta.get("description") or "Imported election",
        description=election.meta.get("description", ""),
        pot=int(election.budget),
        max_bid=max([*costs, 1]),
        phase=Phase.COUNTING,
        ballot_type=BallotType.POINTS if points else BallotType.APPROVAL,
        points=None,
        rule="mes" if election.meta.get("rule", "").startswith("equal") else "greedy",
        created_by_id=officer.id,
    )
    pot = Pot(name=election.meta.get("subunit", ""), amount=funding_round.pot)
    funding_round.pots = [pot]
    db.session.add(funding_round)
    bids = {}
    for pid in election.project_ids:
        name = election.project_meta.get(pid, {}).get("name") or f"Project {pid}"
        bids[pid] = Bid(
            round=funding_round,
            pot=pot,
            organisation=organisation,
            submitted_by=officer,
            title=name[:120],
            summary=name,
            cost=int(election.costs[pid]),
            status=BidStatus.SHORTLISTED,
        )
        db.session.add(bids[pid])
    db.session.flush()
    receipts = fresh_receipts(len(election.ballots))
    for ballot, receipt in zip(election.ballots, receipts, strict=True):
        db.session.add(
            Ballot(
                round_id=funding_round.id,
                pot_id=pot.id,
                voter_key=secrets.token_hex(16),
                choices={str(bids[pid].id): int(v) for pid, v in ballot.items()},
                receipt=receipt,
            )
        )
    return funding_round
