"""Funding rounds decided by youth ambassadors: bids, ballots (kept apart from who cast them)
and the published result."""

import secrets
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.accounts.models import User
from engage.asset_map.models import Organisation
from engage.budgeting.results import RoundResult
from engage.budgeting.vocabulary import (
    BallotType,
    BidStatus,
    Channel,
    CountingRule,
    EnumText,
    PaperStatus,
    Phase,
    PreventionLevel,
)
from engage.database import link_table, utcnow
from engage.extensions import Model
from engage.geo.models import Area

__all__ = ["BallotType", "BidStatus", "CountingRule", "Phase", "PreventionLevel"]

# A ballot's id is random: nothing in it says when it was cast, so it cannot be matched with
# the order of participations. INTEGER on SQLite, so that it is the row id itself.
BALLOT_ID = BigInteger().with_variant(Integer(), "sqlite")


def random_ballot_id() -> int:
    return secrets.randbelow(2**62) + 1


pot_areas = link_table("pb_pot_areas", "pot_id=pb_pots.id", "area_id=areas.id")

# The areas a youth ambassador belongs to (where they live or go to school): they give the
# area pots the ambassador votes in. Nothing more precise than an area is kept.
ambassador_areas = link_table("pb_ambassador_areas", "user_id=users.id", "area_id=areas.id")


class Round(Model):
    __tablename__ = "pb_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    priorities: Mapped[str] = mapped_column(Text, default="")  # priority themes, one a line
    eligibility: Mapped[str] = mapped_column(Text, default="")  # who may bid, in plain words
    pot: Mapped[int]  # whole pounds, shared between the round's pots
    max_bid: Mapped[int]
    phase: Mapped[Phase] = mapped_column(EnumText(Phase), default=Phase.DRAFT, index=True)
    ballot_type: Mapped[BallotType] = mapped_column(
        EnumText(BallotType), default=BallotType.APPROVAL
    )
    max_choices: Mapped[int | None]  # k for k-approval
    points: Mapped[int | None]  # points to spread on a points ballot
    rule: Mapped[CountingRule] = mapped_column(EnumText(CountingRule), default=CountingRule.MES)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Dates (ISO) on which the round moves into a phase by itself: {"voting": "2027-03-01"}.
    schedule: Mapped[dict] = mapped_column(JSON, default=dict)
    # The published result, kept as counted so it reads the same however often it is shown.
    result: Mapped[dict | None] = mapped_column(JSON)

    bids: Mapped[list["Bid"]] = relationship(back_populates="round", order_by="Bid.id")
    pots: Mapped[list["Pot"]] = relationship(
        back_populates="round", order_by="Pot.id", cascade="all, delete-orphan"
    )
    phase_changes: Mapped[list["PhaseChange"]] = relationship(order_by="PhaseChange.id")

    @property
    def locked(self) -> bool:
        """Ballot type, pot and rule cannot change once voting has opened."""
        return Phase(self.phase).reached(Phase.VOTING)

    @property
    def counted(self) -> RoundResult | None:
        """The kept result as typed records."""
        return RoundResult.from_json(self.result) if self.result else None

    @property
    def priority_list(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]


class Pot(Model):
    """A share of a round's money, voted on by the ambassadors of its areas (a North pot and a
    West pot). A pot with no areas is open to every ambassador. Every round has at least one;
    each has its own bids, ballots and result."""

    __tablename__ = "pb_pots"
    __table_args__ = (UniqueConstraint("round_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    amount: Mapped[int]  # whole pounds

    round: Mapped[Round] = relationship(back_populates="pots")
    areas: Mapped[list[Area]] = relationship(secondary=pot_areas, order_by=Area.name)


class PhaseChange(Model):
    __tablename__ = "pb_phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    from_phase: Mapped[Phase] = mapped_column(EnumText(Phase))
    to_phase: Mapped[Phase] = mapped_column(EnumText(Phase))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class Bid(Model):
    __tablename__ = "pb_bids"
    # Two clicks on "Send bid" make one bid: an organisation's bids in a round differ by title.
    __table_args__ = (UniqueConstraint("round_id", "organisation_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    # Optional Polish versions, shown to Polish readers when given.
    title_pl: Mapped[str] = mapped_column(String(120), default="")
    summary_pl: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[int]  # whole pounds
    area: Mapped[str] = mapped_column(String(120), default="")
    theme: Mapped[str] = mapped_column(String(120), default="")  # one of the round's priorities
    prevention_level: Mapped[PreventionLevel] = mapped_column(
        EnumText(PreventionLevel, 12), default=PreventionLevel.PRIMARY
    )
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    reach: Mapped[int | None]  # how many young people it expects to reach
    evidence: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BidStatus] = mapped_column(
        EnumText(BidStatus), default=BidStatus.SUBMITTED, index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")  # why not taken forward (shown to bidder)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship(back_populates="bids")
    pot: Mapped[Pot] = relationship()
    organisation: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User] = relationship()


class Participation(Model):
    """That an ambassador voted in a pot (for turnout and to stop a second ballot), and how
    (online or on paper), never what, nor when: no time is kept that could be matched with a
    ballot."""

    __tablename__ = "pb_participations"
    __table_args__ = (UniqueConstraint("pot_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    channel: Mapped[Channel] = mapped_column(EnumText(Channel, 8), default=Channel.ONLINE)


class Ballot(Model):
    """What was voted for. `voter_key` is a keyed hash of the voter and round, so the voter can
    change their ballot, but the table alone does not say whose ballot it is. One per pot. Its
    id is random and no time is kept, so nothing orders ballots as they were cast."""

    __tablename__ = "pb_ballots"
    __table_args__ = (UniqueConstraint("pot_id", "voter_key"),)

    id: Mapped[int] = mapped_column(
        BALLOT_ID, primary_key=True, autoincrement=False, default=random_ballot_id
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id"), index=True)
    voter_key: Mapped[str] = mapped_column(String(64))
    choices: Mapped[dict] = mapped_column(JSON)  # bid id (as text) -> points (1 for a tick)
    receipt: Mapped[str] = mapped_column(String(16), unique=True)


class Reviewer(Model):
    """Someone an officer appointed to a round's review panel (officer, ambassador, resident)."""

    __tablename__ = "pb_reviewers"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Conflict(Model):
    """A reviewer's declared conflict of interest with a bid: they cannot score or see it."""

    __tablename__ = "pb_conflicts"
    __table_args__ = (UniqueConstraint("bid_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("pb_bids.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)


class Score(Model):
    """One reviewer's scores (0–5) for one bid against the published criteria."""

    __tablename__ = "pb_scores"
    __table_args__ = (UniqueConstraint("bid_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("pb_bids.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reach: Mapped[int]
    evidence: Mapped[int]
    value_for_money: Mapped[int]
    fit: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    rescore_requested: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bid: Mapped[Bid] = relationship()
    user: Mapped[User] = relationship()

    @property
    def total(self) -> int:
        return self.reach + self.evidence + self.value_for_money + self.fit


class VoteReminder(Model):
    """A reminder sent to an ambassador who had not voted, so none is sent too often."""

    __tablename__ = "pb_vote_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class PaperEntry(Model):
    """A paper ballot typed in by officers: it counts only when two entries agree."""

    __tablename__ = "pb_paper_entries"
    __table_args__ = (UniqueConstraint("round_id", "paper_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pots.id"), index=True)
    paper_ref: Mapped[str] = mapped_column(String(32))  # the number written on the paper
    first_choices: Mapped[dict] = mapped_column(JSON)
    first_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    second_choices: Mapped[dict | None] = mapped_column(JSON)
    second_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[PaperStatus] = mapped_column(
        EnumText(PaperStatus), default=PaperStatus.AWAITING_SECOND
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FundedProject(Model):
    """A winning bid, recorded when its round's result is published, so the partnership can
    report on it later ("you voted, we funded")."""

    __tablename__ = "pb_funded_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("pb_bids.id"), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_rounds.id"), index=True)
    amount: Mapped[int]  # whole pounds granted
    funded_at: Mapped[datetime] = mapped_column(default=utcnow)

    bid: Mapped[Bid] = relationship()
