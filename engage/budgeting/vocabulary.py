"""The fixed lists a funding round is described by, each with a label in the reader's language
(as `engage.accounts.roles.Role` does): they drive form choices, display and validation."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

from engage.vocabulary import Vocabulary, labels


class Phase(Vocabulary):
    DRAFT = "draft"
    BIDDING = "bidding"
    REVIEW = "review"
    VOTING = "voting"
    COUNTING = "counting"
    PUBLISHED = "published"
    CLOSED = "closed"

    @property
    def next(self) -> "Phase | None":
        order = list(Phase)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    def reached(self, other: "Phase") -> bool:
        """Whether this phase is `other` or comes after it."""
        order = list(Phase)
        return order.index(self) >= order.index(other)


PHASE_LABELS = {
    Phase.DRAFT: _l("draft"),
    Phase.BIDDING: _l("bidding"),
    Phase.REVIEW: _l("review"),
    Phase.VOTING: _l("voting"),
    Phase.COUNTING: _l("counting"),
    Phase.PUBLISHED: _l("published"),
    Phase.CLOSED: _l("closed"),
}


class BallotType(Vocabulary):
    APPROVAL = "approval"  # tick any you support
    K_APPROVAL = "k_approval"  # tick up to k
    KNAPSACK = "knapsack"  # ticked costs may not exceed the pot
    POINTS = "points"  # spread N points


BALLOT_LABELS = {
    BallotType.APPROVAL: _l("Tick any projects they support (the total may go over the pot)"),
    BallotType.K_APPROVAL: _l("Tick up to a number of projects"),
    BallotType.KNAPSACK: _l("Tick projects whose costs add up to no more than the pot"),
    BallotType.POINTS: _l("Spread a number of points"),
}


class CountingRule(Vocabulary):
    MES = "mes"  # the Method of Equal Shares with Add1 (shares raised £1 at a time)
    GREEDY = "greedy"  # most votes (or points) first, skipping what no longer fits

    @property
    def other(self) -> "CountingRule":
        return CountingRule.GREEDY if self is CountingRule.MES else CountingRule.MES


RULE_LABELS = {
    CountingRule.MES: _l("Method of Equal Shares: everyone's share of the money counts equally"),
    CountingRule.GREEDY: _l("Most votes first, skipping what no longer fits"),
}


class BidStatus(Vocabulary):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SHORTLISTED = "shortlisted"
    NOT_SHORTLISTED = "not_shortlisted"


BID_STATUS_LABELS = {
    BidStatus.SUBMITTED: _l("sent"),
    BidStatus.WITHDRAWN: _l("withdrawn"),
    BidStatus.SHORTLISTED: _l("shortlisted"),
    BidStatus.NOT_SHORTLISTED: _l("not taken forward"),
}


class PreventionLevel(Vocabulary):
    PRIMARY = "primary"  # everyone: stop risk emerging
    SECONDARY = "secondary"  # people showing risk
    TERTIARY = "tertiary"  # people already involved


PREVENTION_LABELS = {
    PreventionLevel.PRIMARY: _l("Everyone (primary)"),
    PreventionLevel.SECONDARY: _l("People showing risk (secondary)"),
    PreventionLevel.TERTIARY: _l("People already involved (tertiary)"),
}


class PaperStatus(Vocabulary):
    AWAITING_SECOND = "awaiting_second"
    MATCHED = "matched"
    MISMATCH = "mismatch"


PAPER_LABELS = {
    PaperStatus.AWAITING_SECOND: _l("Waiting for second entry"),
    PaperStatus.MATCHED: _l("Counted"),
    PaperStatus.MISMATCH: _l("Entries differ"),
}


class Channel(StrEnum):
    ONLINE = "online"
    PAPER = "paper"


LABELS: dict[type, dict] = {
    Phase: PHASE_LABELS,
    BallotType: BALLOT_LABELS,
    CountingRule: RULE_LABELS,
    BidStatus: BID_STATUS_LABELS,
    PreventionLevel: PREVENTION_LABELS,
    PaperStatus: PAPER_LABELS,
}
for _vocabulary, _words in LABELS.items():
    labels(_vocabulary, _words)


class EnumText(TypeDecorator):
    """A vocabulary stored as its plain value in a text column and read back as the enum, so
    `round.phase.label` works wherever a round is shown."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)
