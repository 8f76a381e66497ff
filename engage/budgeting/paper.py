"""Paper ballots from in-person sessions: each is typed in twice, by two officers; it counts
only when both entries agree. An ambassador who voted on paper cannot also vote online."""

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from engage.accounts.models import User
from engage.accounts.roles import Role
from engage.budgeting.logic import RoundError
from engage.budgeting.models import Ballot, PaperEntry, Participation, Phase, Round
from engage.budgeting.voting import check_ballot
from engage.database import transactional
from engage.extensions import db


def _stored(choices: dict[int, int]) -> dict[str, int]:
    return {str(k): v for k, v in sorted(choices.items()) if v > 0}


@transactional
def enter_paper_ballot(
    officer: User,
    funding_round: Round,
    paper_ref: str,
    choices: dict[int, int],
    ambassador: User | None = None,
) -> PaperEntry:
    """First entry names the ambassador who handed it in (so they cannot vote online too);
    the second entry, by another officer, must match the first for the ballot to count."""
    if funding_round.phase not in (Phase.VOTING, Phase.COUNTING):
        raise RoundError(_("Paper ballots are entered while voting is open or being counted"))
    ref = paper_ref.strip()
    if not ref:
        raise RoundError(_("Enter the number written on the paper ballot"), "paper_ref")
    check_ballot(funding_round, choices)
    entry = db.session.scalar(
        select(PaperEntry).where(
            PaperEntry.round_id == funding_round.id, PaperEntry.paper_ref == ref
        )
    )
    if entry is None:
        return _first_entry(officer, funding_round, ref, choices, ambassador)
    return _second_entry(officer, entry, choices)


def _first_entry(officer, funding_round, ref, choices, ambassador) -> PaperEntry:
    if ambassador is None or ambassador.role != Role.YOUTH_AMBASSADOR:
        raise RoundError(_("Choose the youth ambassador who filled in this paper"), "ambassador")
    voted = db.session.scalar(
        select(Participation.id).where(
            Participation.round_id == funding_round.id, Participation.user_id == ambassador.id
        )
    )
    if voted is not None:
        raise RoundError(
            _("%(name)s has already voted in this round", name=ambassador.display_name),
            "ambassador",
        )
    db.session.add(Participation(round_id=funding_round.id, user_id=ambassador.id))
    entry = PaperEntry(
        round_id=funding_round.id,
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
            voter_key=f"paper:{secrets.token_hex(16)}",
            choices=entry.first_choices,
            receipt=secrets.token_hex(4).upper(),
        )
    )
    return entry


def paper_entries(funding_round: Round) -> list[PaperEntry]:
    return list(
        db.session.scalars(
            select(PaperEntry)
            .where(PaperEntry.round_id == funding_round.id)
            .order_by(PaperEntry.paper_ref)
        )
    )


def ambassadors() -> list[User]:
    """Youth ambassadors who could have handed in a paper ballot."""
    query = select(User).where(User.role == Role.YOUTH_AMBASSADOR.value, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.display_name)))
