"""The results page of a round, pot by pot: the projects funded, how the money was shared (in
words and in one picture), why each other project was not funded, and how many voters backed a
winner. A result kept before results explained themselves is explained from a fresh count of
the same ballots (counting is repeatable), when that count funds the same projects."""

from dataclasses import dataclass

from engage.budgeting import counting, explanation
from engage.budgeting.logic import shortlisted
from engage.budgeting.models import BallotType, Bid, CountingRule, Pot, Round
from engage.budgeting.picture import Picture, picture
from engage.budgeting.results import PotResult


@dataclass(frozen=True)
class PotStory:
    record: PotResult
    funded: list[Bid]
    how: list[str]
    fairness: list[str]
    empty: str  # about the empty ballots, if any were saved
    reasons: list[explanation.Reason]
    picture: Picture


def _explained(pot: Pot, record: PotResult) -> PotResult:
    if record.explained:
        return record
    fresh = counting.pot_result(pot, counting.count(pot, CountingRule(record.rule)))
    return fresh if fresh.selected == record.selected else record


def pot_story(pot: Pot, record: PotResult) -> PotStory:
    record = _explained(pot, record)
    bids = {str(b.id): b for b in shortlisted(pot.round, pot)}
    points = pot.round.ballot_type == BallotType.POINTS
    return PotStory(
        record,
        [bids[pid] for pid in record.selected if pid in bids],
        explanation.how_shared(record, points),
        explanation.fairness(record, points),
        explanation.empty_ballots(record),
        explanation.reasons(record, bids, points),
        picture(record, bids),
    )


def stories(funding_round: Round) -> list[PotStory]:
    """Each counted pot's story, in the order of the round's pots."""
    counted = funding_round.counted
    if counted is None:
        return []
    pots = {pot.id: pot for pot in funding_round.pots}
    return [pot_story(pots[record.pot_id], record) for record in counted.pots]
