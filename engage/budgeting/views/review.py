"""The review panel's page: a scores form and a "declare a conflict" form for each bid, each
sent to a route of its own."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts.permissions import role_required
from engage.accounts.roles import ALL_ROLES
from engage.budgeting import logic, review
from engage.budgeting.forms import ConflictForm, ScoreForm
from engage.budgeting.models import Bid, Round
from engage.budgeting.views.common import bp, find_bid, find_round
from engage.forms import BaseForm


def _panel_round(round_id: int) -> Round:
    funding_round = find_round(round_id)
    if not review.is_reviewer(current_user, funding_round):
        abort(403)
    return funding_round


def _prefix(bid: Bid) -> str:
    return f"bid-{bid.id}"


def _score_form(item: review.MyReview) -> ScoreForm:
    marks = {}
    if item.score is not None:
        marks = {key: str(getattr(item.score, key)) for key in review.CRITERIA}
        marks["comment"] = item.score.comment
    return ScoreForm(formdata=None, prefix=_prefix(item.bid), data=marks)


def _page(funding_round: Round, failed: BaseForm | None = None, bid: Bid | None = None):
    reviews = review.my_reviews(current_user, funding_round)
    forms = {
        item.bid.id: (_score_form(item), ConflictForm(formdata=None, prefix=_prefix(item.bid)))
        for item in reviews
    }
    if failed is not None and bid is not None and bid.id in forms:
        score, conflict = forms[bid.id]
        forms[bid.id] = (failed, conflict) if isinstance(failed, ScoreForm) else (score, failed)
    return render_template(
        "budgeting/review.html",
        round=funding_round,
        reviews=reviews,
        forms=forms,
        form=failed,
        max_points=review.MAX_POINTS,
    ), (400 if failed is not None else 200)


@bp.route("/<int:round_id>/review")
@role_required(*ALL_ROLES)
def review_bids(round_id: int):
    return _page(_panel_round(round_id))


@bp.route("/<int:round_id>/review/bids/<int:bid_id>/scores", methods=["POST"])
@role_required(*ALL_ROLES)
def score_bid(round_id: int, bid_id: int):
    funding_round = _panel_round(round_id)
    bid = find_bid(round_id, bid_id)
    form = ScoreForm(prefix=_prefix(bid))
    if form.validate_on_submit():
        try:
            review.score_bid(current_user, bid, form.marks(), form.comment.data or "")
        except logic.RoundError as error:
            form.show(error)
        else:
            flash(_("Scores saved for %(title)s", title=bid.title))
            return redirect(url_for("budgeting.review_bids", round_id=round_id))
    return _page(funding_round, form, bid)


@bp.route("/<int:round_id>/review/bids/<int:bid_id>/conflict", methods=["POST"])
@role_required(*ALL_ROLES)
def declare_conflict(round_id: int, bid_id: int):
    funding_round = _panel_round(round_id)
    bid = find_bid(round_id, bid_id)
    form = ConflictForm(prefix=_prefix(bid))
    if form.validate_on_submit():
        try:
            review.declare_conflict(current_user, bid, form.note.data or "")
        except logic.RoundError as error:
            form.show(error)
        else:
            flash(_("You have stepped back from %(title)s", title=bid.title))
            return redirect(url_for("budgeting.review_bids", round_id=round_id))
    return _page(funding_round, form, bid)
