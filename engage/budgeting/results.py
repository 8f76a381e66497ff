"""A counted result as typed records: what the results page shows and what is kept (as JSON)
on the round, so a published result reads the same however often it is shown."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class MESStepRecord:
    """A project bought by its supporters under equal shares."""

    project: str
    supporters: int
    paid_share: int
    paid_all_left: int
    cost: int
    each: float  # what each supporter who paid their full share paid, in pounds


@dataclass(frozen=True)
class GreedyStepRecord:
    """A project taken in turn by the greedy rule: funded, or skipped as it no longer fitted."""

    project: str
    votes: int
    cost: int
    funded: bool
    money_left: float


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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PotResult":
        step = MESStepRecord if data["rule"] == "mes" else GreedyStepRecord
        return cls(
            **{
                **data,
                "steps": [step(**s) for s in data.get("steps", [])],
                "unfunded": [UnfundedRecord(**u) for u in data.get("unfunded", [])],
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
