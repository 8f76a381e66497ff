"""Ballots: ambassadors vote online; officers record paper ballots (who handed one in, and
apart from that, each paper typed in twice) and the areas that decide who votes in which pot."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.models import User
from engage.accounts.permissions import role_required
from engage.accounts.roles import Role
from engage.budgeting import logic, paper, pots, voting
from engage.budgeting.forms import (
    AmbassadorAreasForm,
    BallotForm,
    EmptyBallotForm,
    PaperBallotForm,
    PaperVoterForm,
)
from engage.budgeting.models import Ballot, BallotType, Bid, Pot
from engage.budgeting.views.common import (
    OFFICERS,
    bp,
    find_pot,
    find_pot_with_theirs,
    find_round,
)
from engage.extensions import db
from engage.forms import BaseForm
from engage.i18n import london_now


def _rows(bids: list[Bid], current: dict[int, int]) -> dict:
    return {
        "ballot": [
            {"bid_id": b.id, "ticked": current.get(b.id, 0) > 0, "points": current.get(b.id)}
            for b in bids
        ]
    }


def _choices(form: BallotForm, pot: Pot) -> dict[int, int]:
    try:
        return form.choices(pot.round.ballot_type == BallotType.POINTS)
    except ValueError:
        raise logic.RoundError(
            _("You can only vote for shortlisted projects in this pot"), "ballot"
        ) from None


@bp.route("/<int:round_id>/vote")
@role_required(Role.YOUTH_AMBASSADOR)
def vote(round_id: int):
    """Straight to the ballot when the ambassador votes in one pot; otherwise their pots."""
    funding_round = find_round(round_id)
    mine = pots.eligible_pots(current_user, funding_round)
    if len(mine) == 1:
        return redirect(url_for("budgeting.vote_in_pot", round_id=round_id, pot_id=mine[0].id))
    return render_template(
        "budgeting/vote-pots.html",
        round=funding_round,
        my_pots=mine,
        my_areas=pots.areas_of(current_user),
    )


def _my_pot(round_id: int, pot_id: int) -> tuple[Pot, list[Pot]]:
    """The pot, and the pots the ambassador votes in (read once for the whole request)."""
    pot, mine = find_pot_with_theirs(round_id, pot_id, current_user)
    if pot not in mine:
        abort(403)
    return pot, mine


@bp.route("/<int:round_id>/pots/<int:pot_id>/vote", methods=["GET", "POST"])
@role_required(Role.YOUTH_AMBASSADOR)
def vote_in_pot(round_id: int, pot_id: int):
    """The ballot. One that chooses nothing is not saved: the voter is asked first."""
    pot, mine = _my_pot(round_id, pot_id)
    if request.method == "GET":
        return _ballot_page(pot)
    form = BallotForm()
    if form.validate_on_submit():
        try:
            choices = _choices(form, pot)
            if voting.is_empty(choices):
                voting.check_voter(current_user, pot, mine)
                return _empty_ballot_question(pot, voting.ballot_of(current_user, pot))
            cast = voting.cast_ballot(current_user, pot, choices, eligible=mine)
        except logic.RoundError as error:
            form.show(error, "ballot")
        else:
            flash(_("Your vote is saved. Your receipt code is %(code)s.", code=cast.receipt))
            return redirect(url_for("budgeting.vote_in_pot", round_id=round_id, pot_id=pot_id))
    return _ballot_page(pot, form)


def _ballot_page(pot: Pot, form: BallotForm | None = None):
    """The ballot as the voter left it, or as they sent it with what to mend (`form`)."""
    ballot = voting.ballot_of(current_user, pot)
    bids = voting.shuffled(logic.shortlisted(pot.round, pot), current_user.id)
    if form is None:
        current = {int(k): v for k, v in (ballot.choices if ballot else {}).items()}
        form = BallotForm(data=_rows(bids, current))
    return render_template(
        "budgeting/vote.html",
        round=pot.round,
        pot=pot,
        paper=voting.voted_on_paper(current_user, pot),
        bids={b.id: b for b in bids},
        form=form,
        ballot=ballot,
        closes=voting.closing_date(pot.round, london_now().date()),
    ), (400 if form.errors else 200)


def _empty_ballot_question(pot: Pot, ballot: Ballot | None, form: EmptyBallotForm | None = None):
    return render_template(
        "budgeting/vote-empty.html",
        round=pot.round,
        pot=pot,
        ballot=ballot,
        form=form or EmptyBallotForm(formdata=None),
    ), (400 if form is not None and form.errors else 200)


@bp.route("/<int:round_id>/pots/<int:pot_id>/vote/empty", methods=["POST"])
@role_required(Role.YOUTH_AMBASSADOR)
def save_empty_ballot(round_id: int, pot_id: int):
    """An empty ballot, saved once the voter has said that is what they mean."""
    pot, mine = _my_pot(round_id, pot_id)
    form = EmptyBallotForm()
    if form.validate_on_submit():
        try:
            cast = voting.cast_ballot(current_user, pot, {}, empty=True, eligible=mine)
        except logic.RoundError as error:
            form.show(error)
        else:
            flash(
                _("Your empty ballot is saved. Your receipt code is %(code)s.", code=cast.receipt)
            )
            return redirect(url_for("budgeting.vote_in_pot", round_id=round_id, pot_id=pot_id))
    return _empty_ballot_question(pot, voting.ballot_of(current_user, pot), form)


def _voter_form(pot: Pot, formdata: bool = True) -> PaperVoterForm:
    form = PaperVoterForm() if formdata else PaperVoterForm(formdata=None)
    form.ambassador.choices = [("", _("Choose an ambassador"))] + [
        (person.id, person.display_name) for person in pots.eligible_ambassadors(pot)
    ]
    return form


def _paper_page(pot: Pot, failed: BaseForm | None = None):
    bids = logic.shortlisted(pot.round, pot)
    papers = PaperBallotForm(formdata=None, data=_rows(bids, {}))
    voter = _voter_form(pot, formdata=False)
    if isinstance(failed, PaperBallotForm):
        papers = failed
    elif isinstance(failed, PaperVoterForm):
        voter = failed
    return render_template(
        "budgeting/paper-ballots.html",
        round=pot.round,
        pot=pot,
        form=failed,
        papers=papers,
        voter=voter,
        entries=paper.paper_entries(pot),
        paper_voters=paper.paper_voters(pot),
        bids={b.id: b for b in bids},
    ), (400 if failed is not None else 200)


@bp.route("/<int:round_id>/pots/<int:pot_id>/paper-ballots")
@role_required(*OFFICERS)
def paper_ballots(round_id: int, pot_id: int):
    return _paper_page(find_pot(round_id, pot_id))


@bp.route("/<int:round_id>/pots/<int:pot_id>/paper-ballots/voters", methods=["POST"])
@role_required(*OFFICERS)
def record_paper_voter(round_id: int, pot_id: int):
    pot = find_pot(round_id, pot_id)
    form = _voter_form(pot)
    if form.validate_on_submit():
        ambassador = db.session.get(User, form.ambassador.data)
        try:
            paper.record_paper_voter(current_user, pot, ambassador)
        except logic.RoundError as error:
            form.show(error, "ambassador")
        else:
            assert ambassador is not None  # record_paper_voter refuses no one
            flash(_("%(name)s is recorded as voting on paper", name=ambassador.display_name))
            return redirect(url_for("budgeting.paper_ballots", round_id=round_id, pot_id=pot_id))
    return _paper_page(pot, form)


@bp.route("/<int:round_id>/pots/<int:pot_id>/paper-ballots/papers", methods=["POST"])
@role_required(*OFFICERS)
def enter_paper_ballot(round_id: int, pot_id: int):
    pot = find_pot(round_id, pot_id)
    form = PaperBallotForm()
    if form.validate_on_submit():
        try:
            entry = paper.enter_paper_ballot(
                current_user, pot, form.paper_ref.data, _choices(form, pot)
            )
        except logic.RoundError as error:
            form.show(error, "ballot")
        else:
            flash(_paper_message(entry.status, entry.paper_ref))
            return redirect(url_for("budgeting.paper_ballots", round_id=round_id, pot_id=pot_id))
    return _paper_page(pot, form)


def _paper_message(status: str, ref: str) -> str:
    return {
        "awaiting_second": _(
            "Paper %(ref)s entered once. Another officer now enters it again.", ref=ref
        ),
        "matched": _("Paper %(ref)s matched its first entry and is counted.", ref=ref),
        "mismatch": _(
            "Paper %(ref)s does not match its first entry. Check the paper and enter it again.",
            ref=ref,
        ),
    }[status]


@bp.route("/ambassadors")
@role_required(*OFFICERS)
def ambassadors():
    people = [(person, pots.areas_of(person)) for person in pots.ambassadors()]
    return render_template("budgeting/ambassadors.html", people=people)


@bp.route("/ambassadors/<int:user_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def ambassador_areas(user_id: int):
    person = db.session.get(User, user_id) if 0 < user_id < 2**62 else None
    if person is None or person.role != Role.YOUTH_AMBASSADOR:
        abort(404)
    form = AmbassadorAreasForm(data={"areas": [a.id for a in pots.areas_of(person)]})
    form.areas.choices = [
        (a.id, f"{a.name} ({a.council})" if a.council else a.name) for a in pots.area_choices()
    ]
    if form.validate_on_submit():
        try:
            pots.set_areas(current_user, person, form.areas.data or [])
        except logic.RoundError as error:
            form.show(error, "areas")
        else:
            flash(_("Areas saved for %(name)s", name=person.display_name))
            return redirect(url_for("budgeting.ambassadors"))
    return render_template("budgeting/ambassador-areas.html", person=person, form=form), (
        400 if form.errors else 200
    )
