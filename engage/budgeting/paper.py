"""Paper ballots from in-person sessions: each is typed in twice, by two officers; it counts
only when both entries agree. An ambassador who voted on paper cannot also vote online."""

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.budgeting.logic import RoundError
from engage.budgeting.models import Ballot, PaperEntry, Participation, Phase, Pot
from engage.budgeting.pots import eligible_pots
from engage.budgeting.voting import check_ballot, new_receipt, participation
from engage.database import transactional
from engage.extensions import db


def _stored(choices: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in sorted(choices.items()) if v > 0}


@transactional
def enter_paper_ballot(
    officer: User,
    pot: Pot,
    paper_ref: str,
    choices: dict[int, int],
    ambassador: User | None = None,
) -> PaperEntry:
    """First entry names the ambassador who handed it in (so they cannot vote online too);
    the second entry, by another officer, must match the first for the ballot to count."""
    funding_round = pot.round
    if funding_round.phase not in (Phase.VOTING, Phase.COUNTING):
        raise RoundError(_("Paper ballots are entered while voting is open or being counted"))
    ref = paper_ref.strip()
    if not ref:
        raise RoundError(_("Enter the number written on the paper ballot"), "paper_ref")
    check_ballot(pot, choices)
    entry = db.session.scalar(
        select(PaperEntry).where(
            PaperEntry.round_id == funding_round.id, PaperEntry.paper_ref == ref
        )
    )
    if entry is None:
        return _first_entry(officer, pot, ref, choices, ambassador)
    if entry.pot_id != pot.id:
        raise RoundError(_("Paper %(ref)s was entered for another pot", ref=ref), "paper_ref")
    return _second_entry(officer, entry, choices)


def _first_entry(officer, pot: Pot, ref, choices, ambassador) -> PaperEntry:
    if ambassador is None or pot not in eligible_pots(ambassador, pot.round):
        raise RoundError(
            _("Choose the youth ambassador, from this pot's areas, who filled in this paper"),
            "ambassador",
        )
    if participation(ambassador, pot) is not None:
        raise RoundError(
            _("%(name)s has already voted in this pot", name=ambassador.display_name),
            "ambassador",
        )
    db.session.add(
        Participation(round_id=pot.round_id, pot_id=pot.id, user_id=ambassador.id, channel="paper")
    )
    entry = PaperEntry(
        round_id=pot.round_id,
        pot_id=pot.id,
        paper_ref=ref,
        first_choices=_stored(choices),
        first_by_id=officer.id,
    )
    db.session.add(entry)
    return entry


def _second_entry(officer: User, entry: PaperEntry, choices: dict[int, int]) -> PaperEntry:
    if entry.status == "matched":
        raise RoundError(
            _("This paper ballot has already been entered twice and counted"), "paper_ref"
        )
    if entry.first_by_id == officer.id:
        raise RoundError(_("The second entry must be made by a different officer"), "paper_ref")
    entry.second_choices, entry.second_by_id = _stored(choices), officer.id
    if entry.second_choices != entry.first_choices:
        entry.status = "mismatch"
        return entry
    entry.status = "matched"
    db.session.add(
        Ballot(
            round_id=entry.round_id,
            pot_id=entry.pot_id,
            voter_key=f"paper:{entry.round_id}:{entry.paper_ref}",
            choices=entry.first_choices,
            receipt=new_receipt(),
        )
    )
    return entry


def paper_entries(pot: Pot) -> list[PaperEntry]:
    return list(
        db.session.scalars(
            select(PaperEntry).where(PaperEntry.pot_id == pot.id).order_by(PaperEntry.paper_ref)
        )
    )
