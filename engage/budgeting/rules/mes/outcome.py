"""What MES tells about its outcome: the projects bought, step by step, and those not."""

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class MESStep:
    project: str
    price: Fraction  # what each supporter pays per unit of satisfaction
    cost: Fraction
    supporters: int
    paid_share: int  # supporters who paid their full share (price × satisfaction)
    paid_all_left: int  # supporters who could not, and gave everything they had left


@dataclass(frozen=True)
class Unfunded:
    project: str
    cost: Fraction
    supporters: int
    money_left: Fraction  # what its supporters still had between them at the end


@dataclass
class MESOutcome:
    selected: list[str]
    cost: Fraction
    share: Fraction  # each voter's starting share
    steps: list[MESStep] = field(default_factory=list)
    unfunded: list[Unfunded] = field(default_factory=list)
    completed_by_greedy: list[str] = field(default_factory=list)
