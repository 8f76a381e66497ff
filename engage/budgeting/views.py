"""Participatory budgeting pages: rounds for everyone, set-up and counting for officers, bids
for providers, ballots for youth ambassadors, and published results."""

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.models import User
from engage.accounts.permissions import has_role, role_required
from engage.accounts.roles import ALL_ROLES, Role
from engage.asset_map.editing import organisations_of
from engage.budgeting import logic, paper, review, voting
from engage.budgeting.forms import BidForm, RoundForm, reading_age_hint
from engage.budgeting.models import Bid, Phase, Round, Score
from engage.extensions import db
from engage.forms import BaseForm

bp = Blueprint("budgeting", __name__, url_prefix="/participatory-budgeting")
OFFICERS = (Role.ENGAGEMENT_OFFICER, Role.ADMIN)


def _round(round_id: int) -> Round:
    funding_round = db.session.get(Round, round_id) or abort(404)
    if funding_round.phase == Phase.DRAFT and not has_role(current_user, *OFFICERS):
        abort(404)
    return funding_round


@bp.route("")
def list_rounds():
    officer = has_role(current_user, *OFFICERS)
    rounds = logic.all_rounds() if officer else logic.public_rounds()
    return render_template("budgeting/rounds.html", rounds=rounds, officer=officer)


@bp.route("/<int:round_id>")
def show_round(round_id: int):
    funding_round = _round(round_id)
    return render_template(
        "budgeting/round.html", round=funding_round, shortlist=logic.shortlisted(funding_round)
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
        what_if = voting.result_record(
            funding_round, voting.count(funding_round, request.args["what_if"])
        )
    titles = {str(b.id): b.title for b in funding_round.bids}
    return render_template(
        "budgeting/manage.html",
        round=funding_round,
        form=form,
        next_phase=logic.next_phase(funding_round),
        turnout=voting.turnout(funding_round),
        what_if=what_if,
        what_if_titles=[titles[pid] for pid in (what_if or {}).get("selected", [])],
        panel=review.reviewers(funding_round),
        scores=review.moderation(current_user, funding_round),
    )


def _manage_action(funding_round: Round, action: str) -> None:
    try:
        if action == "advance":
            phase = logic.advance_phase(current_user, funding_round)
            flash(_("The round is now in the %(phase)s phase", phase=phase_name(phase)))
        elif action == "shortlist":
            chosen = {int(v) for v in request.form.getlist("shortlist")}
            reasons = {b.id: request.form.get(f"reason-{b.id}", "") for b in funding_round.bids}
            logic.set_shortlist(current_user, funding_round, chosen, reasons)
            flash(_("Shortlist saved"))
        elif action == "appoint":
            reviewer = review.appoint(current_user, funding_round, request.form.get("email", ""))
            flash(_("%(name)s is on the review panel", name=reviewer.user.display_name))
        elif action == "rescore":
            score = db.session.get(Score, request.form.get("score", type=int)) or abort(404)
            review.ask_rescore(current_user, score, funding_round)
            flash(_("Re-score asked for"))
        elif action == "count":
            voting.count_and_record(current_user, funding_round)
            flash(_("Votes counted. Check the result, then publish it."))
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
    form = BidForm()
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
    form = BidForm(obj=bid if request.method == "GET" else None)
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


def _choices_from_form(funding_round: Round) -> dict[int, int]:
    choices = {}
    for bid in logic.shortlisted(funding_round):
        raw = request.form.get(f"bid-{bid.id}", "").strip()
        if funding_round.ballot_type == "points":
            if raw and not raw.isdigit():
                raise logic.RoundError(_("Points must be whole numbers"))
            choices[bid.id] = int(raw or 0)
        else:
            choices[bid.id] = 1 if raw else 0
    return choices


@bp.route("/<int:round_id>/vote", methods=["GET", "POST"])
@role_required(Role.YOUTH_AMBASSADOR)
def vote(round_id: int):
    funding_round = _round(round_id)
    form = BaseForm()
    ballot = voting.ballot_of(current_user, funding_round)
    current = {int(k): v for k, v in (ballot.choices if ballot else {}).items()}
    error = None
    if form.validate_on_submit():
        try:
            current = _choices_from_form(funding_round)
            ballot = voting.cast_ballot(current_user, funding_round, current)
        except logic.RoundError as problem:
            error = str(problem)
        else:
            flash(_("Your vote is saved. Your receipt code is %(code)s.", code=ballot.receipt))
            return redirect(url_for("budgeting.vote", round_id=round_id))
    bids = voting.shuffled(logic.shortlisted(funding_round), current_user.id)
    return render_template(
        "budgeting/vote.html",
        round=funding_round,
        bids=bids,
        form=form,
        current=current,
        ballot=ballot,
        error=error,
    ), (400 if error else 200)


@bp.route("/<int:round_id>/paper-ballots", methods=["GET", "POST"])
@role_required(*OFFICERS)
def paper_ballots(round_id: int):
    funding_round = _round(round_id)
    form = BaseForm()
    error = None
    if form.validate_on_submit():
        ambassador = db.session.get(User, request.form.get("ambassador", type=int) or 0)
        try:
            entry = paper.enter_paper_ballot(
                current_user,
                funding_round,
                request.form.get("paper_ref", ""),
                _choices_from_form(funding_round),
                ambassador,
            )
        except logic.RoundError as problem:
            error = str(problem)
        else:
            flash(_paper_message(entry.status, entry.paper_ref))
            return redirect(url_for("budgeting.paper_ballots", round_id=round_id))
    return render_template(
        "budgeting/paper-ballots.html",
        round=funding_round,
        form=form,
        error=error,
        entries=paper.paper_entries(funding_round),
        ambassadors=paper.ambassadors(),
        bids=logic.shortlisted(funding_round),
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
        "budgeting/results.html", round=funding_round, result=funding_round.result, bids=bids
    )


def _published(round_id: int) -> Round:
    funding_round = _round(round_id)
    if funding_round.phase not in (Phase.PUBLISHED, Phase.CLOSED) or not funding_round.result:
        abort(404)
    return funding_round


@bp.route("/<int:round_id>/results.csv")
def results_csv(round_id: int):
    funding_round = _published(round_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["bid_id", "title", "organisation", "cost", "votes_or_points", "funded"])
    result = funding_round.result
    for bid in logic.shortlisted(funding_round):
        writer.writerow(
            [
                bid.id,
                bid.title,
                bid.organisation.name,
                bid.cost,
                result["totals"].get(str(bid.id), 0),
                "yes" if str(bid.id) in result["selected"] else "no",
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="round-{round_id}-results.csv"'},
    )


@bp.route("/<int:round_id>/results.pb")
def results_pb(round_id: int):
    funding_round = _published(round_id)
    return Response(
        voting.export_pb(funding_round),
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="round-{round_id}.pb"'},
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
    app.jinja_env.globals.update(phase_name=phase_name, bid_status_name=bid_status_name)
    app.jinja_env.filters["bid_title"] = lambda pid, bids: bids[pid].title
