"""Paper ballots from in-person sessions. Two things are recorded apart, so that nothing ties a
person to a paper: that an ambassador handed in a paper (so they cannot also vote online), and
the papers themselves, each typed in twice by two officers and counted only when both entries
agree. A pot never holds more papers than ambassadors recorded as voting on paper."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from engage.accounts.models import User
from engage.budgeting.logic import RoundError, once_more_on_clash
from engage.budgeting.models import (
    Ballot,
    Channel,
    PaperEntry,
    PaperStatus,
    Participation,
    Phase,
    Pot,
)
from engage.budgeting.pots import eligible_pots
from engage.budgeting.voting import check_ballot, new_receipt, participation
from engage.database import transactional
from engage.extensions import db

REF_LENGTH = 32


def _stored(choices: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in sorted(choices.items()) if v > 0}


def _while_open(pot: Pot) -> None:
    if pot.round.phase not in (Phase.VOTING, Phase.COUNTING):
        raise RoundError(_("Paper ballots are entered while voting is open or being counted"))


@once_more_on_clash
@transactional
def record_paper_voter(officer: User, pot: Pot, ambassador: User | None) -> Participation:
    """The ambassador handed in a paper ballot in this pot: they have voted, and cannot vote
    online too. What they chose is entered apart, by the paper's number only."""
    _while_open(pot)
    if ambassador is None or pot not in eligible_pots(ambassador, pot.round):
        raise RoundError(
            _("Choose the youth ambassador, from this pot's areas, who handed in a paper"),
            "ambassador",
        )
    if participation(ambassador, pot) is not None:
        raise RoundError(
            _("%(name)s has already voted in this pot", name=ambassador.display_name),
            "ambassador",
        )
    taken = Participation(
        round_id=pot.round_id, pot_id=pot.id, user_id=ambassador.id, channel=Channel.PAPER
    )
    db.session.add(taken)
    db.session.flush()
    return taken


def _count(model, pot: Pot, *where) -> int:
    query = select(func.count(model.id)).where(model.pot_id == pot.id, *where)
    return db.session.scalar(query) or 0


@once_more_on_clash
@transactional
def enter_paper_ballot(
    officer: User, pot: Pot, paper_ref: str, choices: dict[int, int]
) -> PaperEntry:
    """The first entry of a paper is kept; the second, by another officer, must match it for
    the ballot to count. The entry is locked while it is read, so two officers entering the
    same paper at once give one ballot."""
    _while_open(pot)
    ref = paper_ref.strip()
    if not ref or len(ref) > REF_LENGTH:
        raise RoundError(_("Enter the number written on the paper ballot"), "paper_ref")
    check_ballot(pot, choices)
    entry = db.session.scalar(
        select(PaperEntry)
        .where(PaperEntry.round_id == pot.round_id, PaperEntry.paper_ref == ref)
        .with_for_update()
    )
    if entry is None:
        return _first_entry(officer, pot, ref, choices)
    if entry.pot_id != pot.id:
        raise RoundError(_("Paper %(ref)s was entered for another pot", ref=ref), "paper_ref")
    return _second_entry(officer, entry, choices)


def _first_entry(officer: User, pot: Pot, ref: str, choices: dict[int, int]) -> PaperEntry:
    # Other papers only: another officer may have entered this one since we looked for it
    # (committed after our look, before this count). Then our insert clashes with theirs, and
    # the second try finds it and makes this the second entry, not a refusal.
    papers = _count(PaperEntry, pot, PaperEntry.paper_ref != ref)
    voters = _count(Participation, pot, Participation.channel == Channel.PAPER)
    if papers >= voters:
        raise RoundError(
            _(
                "There are already as many papers as ambassadors recorded as voting on paper "
                "(%(n)d). Record who handed in this paper first.",
                n=voters,
            ),
            "paper_ref",
        )
    entry = PaperEntry(
        round_id=pot.round_id,
        pot_id=pot.id,
        paper_ref=ref,
        first_choices=_stored(choices),
        first_by_id=officer.id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _second_entry(officer: User, entry: PaperEntry, choices: dict[int, int]) -> PaperEntry:
    if entry.status == PaperStatus.MATCHED:
        raise RoundError(
            _("This paper ballot has already been entered twice and counted"), "paper_ref"
        )
    if entry.first_by_id == officer.id and entry.status == PaperStatus.AWAITING_SECOND:
        if _stored(choices) == entry.first_choices:
            return entry  # the same officer's second click
        raise RoundError(_("The second entry must be made by a different officer"), "paper_ref")
    entry.second_choices, entry.second_by_id = _stored(choices), officer.id
    if entry.second_choices != entry.first_choices:
        entry.status = PaperStatus.MISMATCH
        return entry
    entry.status = PaperStatus.MATCHED
    db.session.add(
        Ballot(
            round_id=entry.round_id,
            pot_id=entry.pot_id,
            voter_key=f"paper:{entry.round_id}:{entry.paper_ref}",
            choices=entry.first_choices,
            receipt=new_receipt(),
        )
    )
    db.session.flush()
    return entry


def paper_entries(pot: Pot) -> list[PaperEntry]:
    return list(
        db.session.scalars(
            select(PaperEntry).where(PaperEntry.pot_id == pot.id).order_by(PaperEntry.paper_ref)
        )
    )


def paper_voters(pot: Pot) -> int:
    """How many ambassadors are recorded as having handed in a paper in the pot."""
    return _count(Participation, pot, Participation.channel == Channel.PAPER)
