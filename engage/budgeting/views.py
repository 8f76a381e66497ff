"""Participatory budgeting pages: rounds for everyone, set-up and counting for officers, bids
for providers, ballots for youth ambassadors, and published results."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.models import User
from engage.accounts.permissions import has_role, role_required
from engage.accounts.roles import ALL_ROLES, Role
from engage.asset_map.editing import organisations_of
from engage.budgeting import logic, paper, pots, review, voting
from engage.budgeting.forms import BidForm, RoundForm, reading_age_hint
from engage.budgeting.models import Bid, Phase, Pot, Round, Score
from engage.extensions import db
from engage.forms import BaseForm

bp = Blueprint("budgeting", __name__, url_prefix="/participatory-budgeting")
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def _round(round_id: int) -> Round:
    funding_round = db.session.get(Round, round_id) or abort(404)
    if funding_round.phase == Phase.DRAFT and not has_role(current_user, *OFFICERS):
        abort(404)
    return funding_round


def _pot(round_id: int, pot_id: int) -> Pot:
    pot = db.session.get(Pot, pot_id)
    if pot is None or pot.round_id != round_id:
        abort(404)
    _round(round_id)
    return pot


@bp.route("")
def list_rounds():
    officer = has_role(current_user, *OFFICERS)
    rounds = logic.all_rounds() if officer else logic.public_rounds()
    return render_template("budgeting/rounds.html", rounds=rounds, officer=officer)


@bp.route("/<int:round_id>")
def show_round(round_id: int):
    funding_round = _round(round_id)
    mine = pots.eligible_pots(current_user, funding_round) if current_user.is_authenticated else []
    return render_template(
        "budgeting/round.html",
        round=funding_round,
        shortlist=logic.shortlisted(funding_round),
        my_pots=mine,
        is_reviewer=current_user.is_authenticated
        and review.is_reviewer(current_user, funding_round),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(*OFFICERS)
def new_round():
    form = RoundForm()
    if form.validate_on_submit():
        try:
            funding_round = logic.create_round(current_user, form.values())
        except logic.RoundError as error:
            form[error.field or "title"].errors.append(str(error))
        else:
            flash(_("Round created. It is a draft until you open bidding."))
            return redirect(url_for("budgeting.manage_round", round_id=funding_round.id))
    return render_template("budgeting/round-form.html", form=form)


@bp.route("/<int:round_id>/manage", methods=["GET", "POST"])
@role_required(*OFFICERS)
def manage_round(round_id: int):
    funding_round = _round(round_id)
    form = BaseForm()
    if form.validate_on_submit():
        _manage_action(funding_round, request.form.get("action", ""))
        return redirect(url_for("budgeting.manage_round", round_id=funding_round.id))
    what_if = None
    if request.args.get("what_if") in ("greedy", "mes") and funding_round.phase in (
        Phase.VOTING,
        Phase.COUNTING,
        Phase.PUBLISHED,
    ):
        what_if = voting.round_result(funding_round, request.args["what_if"])
    return render_template(
        "budgeting/manage.html",
        round=funding_round,
        form=form,
        next_phase=logic.next_phase(funding_round),
        turnouts=[(pot, voting.turnout(pot)) for pot in funding_round.pots],
        what_if=what_if,
        titles={str(b.id): b.title for b in funding_round.bids},
        panel=review.reviewers(funding_round),
        scores=review.moderation(current_user, funding_round),
        areas=pots.area_choices() if funding_round.phase == Phase.DRAFT else [],
    )


def _advance(funding_round: Round) -> None:
    phase = logic.advance_phase(current_user, funding_round)
    flash(_("The round is now in the %(phase)s phase", phase=phase_name(phase)))


def _shortlist(funding_round: Round) -> None:
    chosen = {int(v) for v in request.form.getlist("shortlist") if v.isdigit()}
    reasons = {b.id: request.form.get(f"reason-{b.id}", "") for b in funding_round.bids}
    logic.set_shortlist(current_user, funding_round, chosen, reasons)
    flash(_("Shortlist saved"))


def _appoint(funding_round: Round) -> None:
    reviewer = review.appoint(current_user, funding_round, request.form.get("email", ""))
    flash(_("%(name)s is on the review panel", name=reviewer.user.display_name))


def _rescore(funding_round: Round) -> None:
    score = db.session.get(Score, request.form.get("score", type=int)) or abort(404)
    review.ask_rescore(current_user, score, funding_round)
    flash(_("Re-score asked for"))


def _count(funding_round: Round) -> None:
    voting.count_and_record(current_user, funding_round)
    flash(_("Votes counted. Check the result, then publish it."))


def _add_pot(funding_round: Round) -> None:
    amount = request.form.get("amount", "").strip().replace(",", "").lstrip("£")
    pot = pots.add_pot(
        current_user,
        funding_round,
        request.form.get("name", ""),
        int(amount) if amount.isdigit() else None,
        [int(v) for v in request.form.getlist("areas") if v.isdigit()],
    )
    flash(_("%(name)s pot added", name=pot.name))


def _remove_pot(funding_round: Round) -> None:
    pot = _pot(funding_round.id, request.form.get("pot", type=int) or 0)
    pots.remove_pot(current_user, pot)
    flash(_("Pot removed"))


MANAGE_ACTIONS = {
    "advance": _advance,
    "shortlist": _shortlist,
    "appoint": _appoint,
    "rescore": _rescore,
    "count": _count,
    "add_pot": _add_pot,
    "remove_pot": _remove_pot,
}


def _manage_action(funding_round: Round, action: str) -> None:
    handler = MANAGE_ACTIONS.get(action) or abort(400)
    try:
        handler(funding_round)
    except logic.RoundError as error:
        flash(str(error), "error")


@bp.route("/<int:round_id>/review", methods=["GET", "POST"])
@role_required(*ALL_ROLES)
def review_bids(round_id: int):
    funding_round = _round(round_id)
    if not review.is_reviewer(current_user, funding_round):
        abort(403)
    form = BaseForm()
    if form.validate_on_submit():
        bid = db.session.get(Bid, request.form.get("bid", type=int))
        if bid is None or bid.round_id != funding_round.id:
            abort(404)
        try:
            _review_action(bid, request.form.get("action", ""))
        except logic.RoundError as error:
            flash(str(error), "error")
        return redirect(url_for("budgeting.review_bids", round_id=round_id))
    return render_template(
        "budgeting/review.html",
        round=funding_round,
        form=form,
        reviews=review.my_reviews(current_user, funding_round),
        criteria=review.CRITERIA,
        max_points=review.MAX_POINTS,
    )


def _review_action(bid: Bid, action: str) -> None:
    if action == "conflict":
        review.declare_conflict(current_user, bid, request.form.get("note", ""))
        flash(_("You have stepped back from %(title)s", title=bid.title))
        return
    try:
        marks = {key: int(request.form.get(f"{key}-{bid.id}", "")) for key in review.CRITERIA}
    except ValueError:
        raise logic.RoundError(
            _("Give every criterion a score from 0 to %(n)d", n=review.MAX_POINTS)
        ) from None
    review.score_bid(current_user, bid, marks, request.form.get(f"comment-{bid.id}", ""))
    flash(_("Scores saved for %(title)s", title=bid.title))


@bp.route("/<int:round_id>/bids/new", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def new_bid(round_id: int):
    funding_round = _round(round_id)
    form = _bid_form(funding_round)
    organisations = organisations_of(current_user)
    form.organisation.choices = [(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        try:
            logic.submit_bid(current_user, funding_round, organisation, form.values())
        except logic.RoundError as error:
            form[error.field or "title"].errors.append(str(error))
        else:
            flash(_("Bid sent. You can change it until bidding closes."))
            return redirect(url_for("budgeting.show_round", round_id=funding_round.id))
    hint = reading_age_hint(form.summary.data or "") if request.method == "POST" else None
    return render_template(
        "budgeting/bid-form.html",
        form=form,
        round=funding_round,
        hint=hint,
        organisations=organisations,
    )


@bp.route("/<int:round_id>/bids/<int:bid_id>/edit", methods=["GET", "POST"])
@role_required(Role.VCSE_PROVIDER)
def edit_bid(round_id: int, bid_id: int):
    bid = _own_bid(round_id, bid_id)
    form = _bid_form(bid.round, bid if request.method == "GET" else None)
    form.organisation.choices = [(bid.organisation.id, bid.organisation.name)]
    form.organisation.data = bid.organisation.id
    if form.validate_on_submit():
        try:
            logic.update_bid(current_user, bid, form.values())
        except logic.RoundError as error:
            form[error.field or "title"].errors.append(str(error))
        else:
            flash(_("Bid updated"))
            return redirect(url_for("budgeting.show_round", round_id=round_id))
    hint = reading_age_hint(form.summary.data or "")
    return render_template(
        "budgeting/bid-form.html",
        form=form,
        round=bid.round,
        hint=hint,
        organisations=[bid.organisation],
        editing=True,
    )


def _bid_form(funding_round: Round, bid: Bid | None = None) -> BidForm:
    """The bid form for this round: a pot to choose only when the round is split by area, a
    theme only when the round has priorities."""
    form = BidForm(obj=bid)
    if len(funding_round.pots) > 1:
        form.pot_id.choices = [
            (p.id, f"{p.name} ({', '.join(a.name for a in p.areas)})") for p in funding_round.pots
        ]
    else:
        del form.pot_id
        form.single_pot = funding_round.pots[0].id
    if funding_round.priority_list:
        form.theme.choices = [("", _("None of these"))] + [
            (t, t) for t in funding_round.priority_list
        ]
    else:
        del form.theme
    return form


def _own_bid(round_id: int, bid_id: int) -> Bid:
    bid = db.session.get(Bid, bid_id)
    if bid is None or bid.round_id != round_id or bid.submitted_by_id != current_user.id:
        abort(404)
    return bid


@bp.route("/<int:round_id>/bids/<int:bid_id>/withdraw", methods=["POST"])
@role_required(Role.VCSE_PROVIDER)
def withdraw_bid(round_id: int, bid_id: int):
    bid = _own_bid(round_id, bid_id)
    if BaseForm().validate_on_submit():
        try:
            logic.withdraw_bid(current_user, bid)
        except logic.RoundError as error:
            flash(str(error), "error")
        else:
            flash(_("Bid withdrawn"))
    return redirect(url_for("budgeting.show_round", round_id=round_id))


def _choices_from_form(pot: Pot) -> dict[int, int]:
    funding_round = pot.round
    choices = {}
    for bid in logic.shortlisted(funding_round, pot):
        raw = request.form.get(f"bid-{bid.id}", "").strip()
        if funding_round.ballot_type == "points":
            if raw and not raw.isdigit():
                raise logic.RoundError(_("Points must be whole numbers"))
            choices[bid.id] = int(raw or 0)
        else:
            choices[bid.id] = 1 if raw else 0
    return choices


@bp.route("/<int:round_id>/vote")
@role_required(Role.YOUTH_AMBASSADOR)
def vote(round_id: int):
    """Straight to the ballot when the ambassador votes in one pot; otherwise their pots."""
    funding_round = _round(round_id)
    mine = pots.eligible_pots(current_user, funding_round)
    if len(mine) == 1:
        return redirect(url_for("budgeting.vote_in_pot", round_id=round_id, pot_id=mine[0].id))
    return render_template(
        "budgeting/vote-pots.html",
        round=funding_round,
        my_pots=mine,
        my_areas=pots.areas_of(current_user),
    )


@bp.route("/<int:round_id>/pots/<int:pot_id>/vote", methods=["GET", "POST"])
@role_required(Role.YOUTH_AMBASSADOR)
def vote_in_pot(round_id: int, pot_id: int):
    pot = _pot(round_id, pot_id)
    funding_round = pot.round
    if pot not in pots.eligible_pots(current_user, funding_round):
        abort(403)
    form = BaseForm()
    ballot = voting.ballot_of(current_user, pot)
    current = {int(k): v for k, v in (ballot.choices if ballot else {}).items()}
    error = None
    if form.validate_on_submit():
        try:
            current = _choices_from_form(pot)
            ballot = voting.cast_ballot(current_user, pot, current)
        except logic.RoundError as problem:
            error = str(problem)
        else:
            flash(_("Your vote is saved. Your receipt code is %(code)s.", code=ballot.receipt))
            return redirect(url_for("budgeting.vote_in_pot", round_id=round_id, pot_id=pot_id))
    bids = voting.shuffled(logic.shortlisted(funding_round, pot), current_user.id)
    return render_template(
        "budgeting/vote.html",
        round=funding_round,
        pot=pot,
        paper=voting.voted_on_paper(current_user, pot),
        bids=bids,
        form=form,
        current=current,
        ballot=ballot,
        error=error,
    ), (400 if error else 200)


@bp.route("/<int:round_id>/pots/<int:pot_id>/paper-ballots", methods=["GET", "POST"])
@role_required(*OFFICERS)
def paper_ballots(round_id: int, pot_id: int):
    pot = _pot(round_id, pot_id)
    form = BaseForm()
    error = None
    if form.validate_on_submit():
        ambassador = db.session.get(User, request.form.get("ambassador", type=int) or 0)
        try:
            entry = paper.enter_paper_ballot(
                current_user,
                pot,
                request.form.get("paper_ref", ""),
                _choices_from_form(pot),
                ambassador,
            )
        except logic.RoundError as problem:
            error = str(problem)
        else:
            flash(_paper_message(entry.status, entry.paper_ref))
            return redirect(url_for("budgeting.paper_ballots", round_id=round_id, pot_id=pot_id))
    return render_template(
        "budgeting/paper-ballots.html",
        round=pot.round,
        pot=pot,
        form=form,
        error=error,
        entries=paper.paper_entries(pot),
        ambassadors=pots.eligible_ambassadors(pot),
        bids=logic.shortlisted(pot.round, pot),
        current={},
    ), (400 if error else 200)


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


@bp.route("/<int:round_id>/results")
def results(round_id: int):
    funding_round = _round(round_id)
    officer = has_role(current_user, *OFFICERS)
    if not funding_round.result or (
        funding_round.phase != Phase.PUBLISHED
        and funding_round.phase != Phase.CLOSED
        and not officer
    ):
        abort(404)
    bids = {str(b.id): b for b in funding_round.bids}
    return render_template(
        "budgeting/results.html",
        round=funding_round,
        bids=bids,
        funded=logic.funded_projects(funding_round),
    )


def _published(round_id: int) -> Round:
    funding_round = _round(round_id)
    if funding_round.phase not in (Phase.PUBLISHED, Phase.CLOSED) or not funding_round.result:
        abort(404)
    return funding_round


@bp.route("/<int:round_id>/results.csv")
def results_csv(round_id: int):
    funding_round = _published(round_id)
    return Response(
        voting.results_csv(funding_round),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="round-{round_id}-results.csv"'},
    )


@bp.route("/<int:round_id>/pots/<int:pot_id>/results.pb")
def results_pb(round_id: int, pot_id: int):
    _published(round_id)
    pot = _pot(round_id, pot_id)
    return Response(
        voting.export_pb(pot),
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="round-{round_id}-pot-{pot_id}.pb"'},
    )


@bp.route("/ambassadors")
@role_required(*OFFICERS)
def ambassadors():
    people = [(person, pots.areas_of(person)) for person in pots.ambassadors()]
    return render_template("budgeting/ambassadors.html", people=people)


@bp.route("/ambassadors/<int:user_id>", methods=["GET", "POST"])
@role_required(*OFFICERS)
def ambassador_areas(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or person.role != Role.YOUTH_AMBASSADOR:
        abort(404)
    form = BaseForm()
    if form.validate_on_submit():
        chosen = [int(v) for v in request.form.getlist("areas") if v.isdigit()]
        try:
            pots.set_areas(current_user, person, chosen)
        except logic.RoundError as error:
            flash(str(error), "error")
        else:
            flash(_("Areas saved for %(name)s", name=person.display_name))
            return redirect(url_for("budgeting.ambassadors"))
    return render_template(
        "budgeting/ambassador-areas.html",
        person=person,
        form=form,
        areas=pots.area_choices(),
        chosen={a.id for a in pots.areas_of(person)},
    )


def phase_name(phase: str) -> str:
    return {
        Phase.DRAFT: _("draft"),
        Phase.BIDDING: _("bidding"),
        Phase.REVIEW: _("review"),
        Phase.VOTING: _("voting"),
        Phase.COUNTING: _("counting"),
        Phase.PUBLISHED: _("published"),
        Phase.CLOSED: _("closed"),
    }[phase]


def bid_status_name(status: str) -> str:
    return {
        "submitted": _("sent"),
        "withdrawn": _("withdrawn"),
        "shortlisted": _("shortlisted"),
        "not_shortlisted": _("not taken forward"),
    }.get(status, status)


def register(app) -> None:
    app.jinja_env.globals.update(
        phase_name=phase_name, bid_status_name=bid_status_name, pot_name=pots.pot_name
    )
    app.jinja_env.filters["bid_title"] = lambda pid, bids: bids[pid].title
    app.jinja_env.filters["bid_title_of"] = lambda pid, titles: titles[pid]
