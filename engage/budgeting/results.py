"""A counted result as typed records: what the results page shows and what is kept (as JSON)
on the round, so a published result reads the same however often it is shown."""

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class PaymentGroup:
    """Supporters of a funded project who paid alike: the same amount (`low` == `high`), or,
    when many paid different amounts, a range of them, in pounds."""

    people: int
    low: float
    high: float
    total: float
    all_left: bool  # they gave everything they had left (they could not pay a full part)


@dataclass(frozen=True)
class MESStepRecord:
    """A project bought by its supporters under equal shares."""

    project: str
    supporters: int
    paid_share: int
    paid_all_left: int
    cost: int
    each: float  # what each supporter who paid their full share paid, in pounds
    payments: list[PaymentGroup] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MESStepRecord":
        payments = [PaymentGroup(**p) for p in data.get("payments", [])]
        return cls(**{**data, "payments": payments})


@dataclass(frozen=True)
class GreedyStepRecord:
    """A project taken in turn by the greedy rule: funded, or skipped as it no longer fitted."""

    project: str
    votes: int
    cost: int
    funded: bool
    money_left: float


class WhyNot(StrEnum):
    """Why a shortlisted project was not funded, as the count found it."""

    NO_VOTES = "no_votes"  # no one voted for it
    TOO_DEAR = "too_dear"  # it costs more than the whole pot
    FEW_BACKERS = "few_backers"  # equal shares: its backers' shares together fell short of it
    SPENT = "spent"  # equal shares: its backers had spent their shares on projects funded first
    NO_ROOM = "no_room"  # most votes first: too little was left when its turn came
    FREE = "free"  # equal shares with ticks: a project costing nothing is worth nothing to it


@dataclass(frozen=True)
class WhyNotRecord:
    """One project not funded, and the numbers that say why (`reason`)."""

    project: str
    reason: WhyNot
    backers: int
    cost: int
    money: float  # what its backers had between them (equal shares), or what was left (greedy)
    spenders: int = 0  # SPENT: its backers who had paid towards the projects in `went_to`
    went_to: list[str] = field(default_factory=list)  # where the money went, the most first
    tied: bool = False  # NO_ROOM: a project funded before it had as many votes (or points)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "WhyNotRecord":
        return cls(**{**data, "reason": WhyNot(data["reason"])})


@dataclass(frozen=True)
class UnfundedRecord:
    project: str
    supporters: int
    cost: int
    money_left: float  # what its supporters still had between them


@dataclass
class PotResult:
    pot_id: int
    name: str
    amount: int
    rule: str
    selected: list[str]  # bid ids (as text), in the order they were funded
    cost: int
    left: int
    totals: dict[str, int]  # votes or points per shortlisted bid
    ballots: int
    voted: int
    eligible: int
    other_rule: str
    other_selected: list[str]
    receipts: list[str]
    steps: list[MESStepRecord | GreedyStepRecord] = field(default_factory=list)
    share: float | None = None  # equal shares: each voter's share once raised
    equal_share: float | None = None  # equal shares: the pot split equally
    unfunded: list[UnfundedRecord] = field(default_factory=list)
    completed_by_greedy: list[str] = field(default_factory=list)
    # Kept since results explain themselves (None in a result counted before then):
    why_not: list[WhyNotRecord] | None = None  # one per shortlisted project not funded
    choosers: int | None = None  # ballots that chose at least one project (the rest are empty)
    backed_funded: int | None = None  # of those, how many backed a project that is funded
    other_backed_funded: int | None = None  # the same, had the other rule counted

    @property
    def explained(self) -> bool:
        return self.why_not is not None

    @property
    def empty_ballots(self) -> int:
        return self.ballots - (self.choosers if self.choosers is not None else self.ballots)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PotResult":
        steps: list[MESStepRecord | GreedyStepRecord] = [
            MESStepRecord.from_json(s) if data["rule"] == "mes" else GreedyStepRecord(**s)
            for s in data.get("steps", [])
        ]
        why = data.get("why_not")
        return cls(
            **{
                **data,
                "steps": steps,
                "unfunded": [UnfundedRecord(**u) for u in data.get("unfunded", [])],
                "why_not": None if why is None else [WhyNotRecord.from_json(w) for w in why],
            }
        )


@dataclass
class RoundResult:
    rule: str
    pots: list[PotResult]

    @property
    def cost(self) -> int:
        return sum(p.cost for p in self.pots)

    @property
    def left(self) -> int:
        return sum(p.left for p in self.pots)

    @property
    def selected(self) -> list[str]:
        return [pid for p in self.pots for pid in p.selected]

    def pot(self, pot_id: int) -> PotResult:
        return next(p for p in self.pots if p.pot_id == pot_id)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "pots": [asdict(p) for p in self.pots]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RoundResult":
        return cls(data["rule"], [PotResult.from_json(p) for p in data["pots"]])
